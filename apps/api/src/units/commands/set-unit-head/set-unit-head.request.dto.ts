import { TextField } from '../../../http/fields';

export class SetUnitHeadRequestDto {
  @TextField({ max: 100, example: '赵六' })
  name: string;

  @TextField({ max: 100, required: false, example: '局长' })
  title?: string;
}
