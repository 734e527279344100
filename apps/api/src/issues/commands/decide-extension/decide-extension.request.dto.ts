import { ISSUE_LIMITS } from '@duban/domain';
import { BoolField, TextField } from '../../../http/fields';

export class DecideExtensionRequestDto {
  @BoolField({ example: true })
  approved: boolean;

  @TextField({ max: ISSUE_LIMITS.note, required: false, example: '同意延期一次 (approved once)' })
  note?: string;
}
