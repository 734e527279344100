import { Body, Controller, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { Caller, CurrentCaller } from '../http/caller';
import {
  ApiBearer,
  ApiIdempotent,
  ApiJson,
  ApiJsonBody,
  ApiProblems,
  arrayOf,
  FREE_OBJECT,
  INSTANT,
  INTEGER,
  object,
  TEXT,
} from '../http/openapi';
import { ISSUE_COMMAND_ROLES } from '../issues/issue-access';
import { AssignBatchRequestDto } from './assign-batch.request.dto';
import { AssignmentBatchService } from './assignment-batch.service';

const RESULT = object(
  { issueId: TEXT, status: INTEGER, revision: INTEGER, position: INTEGER, deadline: INSTANT, problem: FREE_OBJECT },
  ['issueId', 'status'],
);

@ApiTags('issues')
@ApiBearer()
@Controller('assignment-batches')
export class AssignmentBatchesController {
  constructor(private readonly batches: AssignmentBatchService) {}

  @Post()
  @Roles(...ISSUE_COMMAND_ROLES.AssignIssue)
  @ApiOperation({
    summary:
      '交办会: assign a meeting’s batch of issues, each item on its own (results say 200, or 400/404/409 … with the problem); the meeting is recorded on each assignment',
  })
  @ApiJson(object({ batchId: TEXT, meeting: FREE_OBJECT, results: arrayOf(RESULT) }), 201, 'Created')
  @ApiJsonBody()
  @ApiProblems(403, 413)
  @ApiIdempotent()
  assign(@Body() body: AssignBatchRequestDto, @CurrentCaller() caller: Caller) {
    return this.batches.assign(body, caller);
  }
}
