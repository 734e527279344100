import { ISSUE_LIMITS } from '@duban/domain';
import { BoolField, TextField } from '../../../http/fields';

export class DecideProposalRequestDto {
  @BoolField({ example: true })
  approved: boolean;

  @TextField({ max: ISSUE_LIMITS.note, required: false, example: '同意约谈 (summons approved)' })
  note?: string;
}
