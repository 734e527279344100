import { FEEDBACK_CHANNELS, ISSUE_LIMITS, VERDICTS, type FeedbackChannel, type Verdict } from '@duban/domain';
import { EnumField, TextField } from '../../../http/fields';

/** 回访: what the reporter said of the rectification, and how the office reached them. */
export class RecordReporterFeedbackRequestDto {
  @EnumField(FEEDBACK_CHANNELS, { example: 'phone', description: 'phone 电话, sms 短信, letter 信函, visit 上门' })
  channel: FeedbackChannel;

  @EnumField(VERDICTS, {
    example: 'satisfied',
    description: 'satisfied 满意, basically_satisfied 基本满意, unsatisfied 不满意',
  })
  verdict: Verdict;

  @TextField({
    max: ISSUE_LIMITS.comment,
    required: false,
    example: '群众表示问题已解决 (the reporter says it is solved)',
  })
  note?: string;
}
