import { TextField } from '../../../http/fields';

export class RenameUnitRequestDto {
  @TextField({ max: 200, example: '市住房和城乡建设局' })
  name: string;
}
