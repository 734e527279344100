import { BoolField, TextField } from '../../../http/fields';

export class DecideExtensionRequestDto {
  @BoolField({ example: true })
  approved: boolean;

  @TextField({ max: 2000, required: false, example: '同意延期一次 (approved once)' })
  note?: string;
}
