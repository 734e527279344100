import { ISSUE_LIMITS, VERDICTS, type Verdict } from '@duban/domain';
import { EnumField, InstantField, TextField } from '../../../http/fields';

/** 整改评议: satisfied 满意, basically_satisfied 基本满意, unsatisfied 不满意 (reopens with newDeadline) */
export class AssessResultRequestDto {
  @EnumField(VERDICTS, { example: 'satisfied' })
  verdict: Verdict;

  @TextField({ max: ISSUE_LIMITS.comment, required: false, example: '群众满意 (the public is satisfied)' })
  comment?: string;

  @InstantField({ required: false, example: '2027-01-15T16:00:00Z', description: 'required when unsatisfied' })
  newDeadline?: string;
}
