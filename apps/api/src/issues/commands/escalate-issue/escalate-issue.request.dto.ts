import { ISSUE_LIMITS } from '@duban/domain';
import { IntField, TextField } from '../../../http/fields';

/** 1 督办, 2 重点督办, 3 约谈, 4 问责 */
export class EscalateIssueRequestDto {
  @IntField({ ...ISSUE_LIMITS.escalationLevel, example: 2 })
  level: number;

  @TextField({ max: ISSUE_LIMITS.reason, example: '推进缓慢 (progress too slow)' })
  reason: string;
}
