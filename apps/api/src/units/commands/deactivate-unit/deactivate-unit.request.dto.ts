import { UNIT_LIMITS } from '@duban/domain';
import { TextField } from '../../../http/fields';

export class DeactivateUnitRequestDto {
  @TextField({ max: UNIT_LIMITS.reason, example: '机构改革撤并 (merged in a reorganisation)' })
  reason: string;
}
