import { TextField } from '../../../http/fields';

export class DeactivateUnitRequestDto {
  @TextField({ max: 2000, example: '机构改革撤并 (merged in a reorganisation)' })
  reason: string;
}
