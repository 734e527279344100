import { ISSUE_LIMITS, LIST_KINDS, type ListKind } from '@duban/domain';
import { EnumField, TextField } from '../../../http/fields';

/** 红黑榜 */
export class ListIssueRequestDto {
  @EnumField(LIST_KINDS, { example: 'red' })
  list: ListKind;

  @TextField({ max: ISSUE_LIMITS.reason, example: '提前办结，群众满意 (closed early, public satisfied)' })
  reason: string;
}
