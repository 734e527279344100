import { ISSUE_LIMITS } from '@duban/domain';
import { TextField } from '../../../http/fields';
import { AssignIssueRequestDto } from '../assign-issue/assign-issue.request.dto';

/** 改派: move an assigned issue to another unit before work starts, with a reason. */
export class ReassignIssueRequestDto extends AssignIssueRequestDto {
  @TextField({
    max: ISSUE_LIMITS.reason,
    example: '职责调整，改由交通局牵头 (responsibility moved to the transport bureau)',
  })
  reason: string;
}
