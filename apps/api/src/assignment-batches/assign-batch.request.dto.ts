import { ArrayMinSize, IsArray, IsObject } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { ISSUE_LIMITS, PERSON_LIMITS } from '@duban/domain';
import { NestedField, TextField, UuidField } from '../http/fields';
import { AssignIssueRequestDto } from '../issues/commands/assign-issue/assign-issue.request.dto';

/** who presided over the meeting (主持) */
export class MeetingPresiderDto {
  @TextField({ max: PERSON_LIMITS.name, example: '张三' })
  name: string;

  @TextField({ max: PERSON_LIMITS.title, example: '市委副书记' })
  title: string;
}

/** 交办会: the meeting at which the batch is assigned */
export class AssignmentMeetingDto {
  @TextField({
    max: 10,
    pattern: /^\d{4}-\d{2}-\d{2}$/,
    example: '2026-03-02',
    description: 'the meeting day, YYYY-MM-DD',
  })
  date: string;

  @TextField({ max: ISSUE_LIMITS.meetingName, required: false, example: '第一次集中交办会' })
  name?: string;

  @NestedField(() => MeetingPresiderDto)
  presidedBy: MeetingPresiderDto;
}

/** One item: an assignment (the body of POST /issues/:id/assign) and the issue it is for. */
export class AssignBatchItemDto extends AssignIssueRequestDto {
  @UuidField({ description: 'the issue to assign' })
  issueId: string;
}

export class AssignBatchRequestDto {
  @NestedField(() => AssignmentMeetingDto)
  meeting: AssignmentMeetingDto;

  // each item is validated on its own, so one bad item is answered in its result and does not stop the others
  @ApiProperty({
    type: [AssignBatchItemDto],
    minItems: 1,
    maxItems: ISSUE_LIMITS.batchItems,
    description: `the assignments, each applied on its own; more than ${ISSUE_LIMITS.batchItems} is refused whole with 413`,
  })
  @IsArray()
  @ArrayMinSize(1)
  @IsObject({ each: true, message: 'each of items must be an object (an assignment with its issueId)' })
  items: Record<string, unknown>[];
}
