import { ISSUE_LIMITS, PRIORITIES, type Priority } from '@duban/domain';
import { EnumField, TextField } from '../../../http/fields';

export class TriageIssueRequestDto {
  @TextField({ max: ISSUE_LIMITS.category, required: false, example: '窗口服务 (window service)' })
  category?: string;

  @EnumField(PRIORITIES, { required: false, example: 'high' })
  priority?: Priority;

  @TextField({ max: ISSUE_LIMITS.note, required: false, example: '群众反映强烈 (strong public concern)' })
  note?: string;
}
