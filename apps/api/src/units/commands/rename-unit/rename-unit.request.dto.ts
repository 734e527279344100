import { UNIT_LIMITS } from '@duban/domain';
import { TextField } from '../../../http/fields';

export class RenameUnitRequestDto {
  @TextField({ max: UNIT_LIMITS.name, example: '市住房和城乡建设局' })
  name: string;
}
