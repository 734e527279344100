import { EnumField, InstantField, TextField } from '../../../http/fields';

/** 整改评议: satisfied 满意, basically_satisfied 基本满意, unsatisfied 不满意 (reopens with newDeadline) */
export class AssessResultRequestDto {
  @EnumField(['satisfied', 'basically_satisfied', 'unsatisfied'], { example: 'satisfied' })
  verdict: 'satisfied' | 'basically_satisfied' | 'unsatisfied';

  @TextField({ max: 5000, required: false, example: '群众满意 (the public is satisfied)' })
  comment?: string;

  @InstantField({ required: false, example: '2027-01-15T16:00:00Z', description: 'required when unsatisfied' })
  newDeadline?: string;
}
