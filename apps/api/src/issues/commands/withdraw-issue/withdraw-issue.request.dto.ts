import { ISSUE_LIMITS } from '@duban/domain';
import { TextField } from '../../../http/fields';

export class WithdrawIssueRequestDto {
  @TextField({ max: ISSUE_LIMITS.reason, example: '重复件 (duplicate)' })
  reason: string;
}
