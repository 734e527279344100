import {
  ASSESSMENT_METHODS,
  ISSUE_LIMITS,
  PERSON_LIMITS,
  VERDICTS,
  type AssessmentMethod,
  type Verdict,
} from '@duban/domain';
import { EnumField, InstantField, TextArrayField, TextField } from '../../../http/fields';

/** 整改评议: satisfied 满意, basically_satisfied 基本满意, unsatisfied 不满意 (reopens with newDeadline) */
export class AssessResultRequestDto {
  @EnumField(VERDICTS, { example: 'satisfied' })
  verdict: Verdict;

  @TextField({ max: ISSUE_LIMITS.comment, required: false, example: '群众满意 (the public is satisfied)' })
  comment?: string;

  @InstantField({ required: false, example: '2027-01-15T16:00:00Z', description: 'required when unsatisfied' })
  newDeadline?: string;

  @EnumField(ASSESSMENT_METHODS, {
    required: false,
    example: 'undercover_visit',
    description: 'visit 走访, undercover_visit 暗访, document_review 查阅资料, phone_survey 电话调查',
  })
  method?: AssessmentMethod;

  @TextArrayField({
    maxItems: ISSUE_LIMITS.panel,
    maxLength: PERSON_LIMITS.name,
    required: false,
    example: ['张三', '李四'],
    description: 'the panel (评议组): names',
  })
  panel?: string[];
}
