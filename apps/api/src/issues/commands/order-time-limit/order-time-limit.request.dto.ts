import { ISSUE_LIMITS } from '@duban/domain';
import { InstantField, IntField, TextField } from '../../../http/fields';

/** A deadline the office sets anew: an instant, or a number of working days from now (exactly one). */
export class NewDeadlineRequestDto {
  @InstantField({ required: false, example: '2027-01-31T16:00:00Z', description: 'the new deadline as an instant' })
  deadline?: string;

  @IntField({
    ...ISSUE_LIMITS.deadlineWorkingDays,
    required: false,
    example: 15,
    description: 'or: N working days from now, against the holiday calendar in force',
  })
  deadlineWorkingDays?: number;

  @TextField({ max: ISSUE_LIMITS.reason, example: '整改不扎实，责令限期整改' })
  reason: string;
}

/** 责令限期整改 */
export class OrderTimeLimitRequestDto extends NewDeadlineRequestDto {}
