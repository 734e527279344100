import { ISSUE_LIMITS, ISSUE_SOURCES, PHASE_KEY_PATTERN, PROGRAMME_LIMITS, type IssueSource } from '@duban/domain';
import { EnumField, TextField } from '../../http/fields';
import { AssignIssueRequestDto } from '../../issues/commands/assign-issue/assign-issue.request.dto';

/** A task (任务) registered and assigned in one step: the issue's intake fields, then its assignment. */
export class AddProgrammeTaskRequestDto extends AssignIssueRequestDto {
  @TextField({ max: ISSUE_LIMITS.title, example: '压缩企业开办时间至1个工作日' })
  title: string;

  @TextField({ max: ISSUE_LIMITS.description, required: false, description: 'defaults to the title' })
  description?: string;

  @TextField({ max: ISSUE_LIMITS.category, required: false, description: "defaults to the programme's name" })
  category?: string;

  @TextField({
    max: PROGRAMME_LIMITS.phaseKey,
    pattern: PHASE_KEY_PATTERN,
    required: false,
    example: 'battle-1',
    description: "the key of one of the programme's phases (攻坚战)",
  })
  phase?: string;

  @EnumField(ISSUE_SOURCES, {
    required: false,
    example: 'supervision_team',
    description: 'where the task came from; defaults to supervision_team (督查部署)',
  })
  source?: IssueSource;
}
