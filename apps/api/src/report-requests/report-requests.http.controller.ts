import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { newAggregateId } from '@duban/application';
import { REPORT_REQUEST_KINDS } from '@duban/domain';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { Caller, CurrentCaller } from '../http/caller';
import { IdParam } from '../http/id-param';
import {
  ApiBearer,
  ApiCommandAnswer,
  ApiIdempotent,
  ApiIfMatch,
  ApiJson,
  ApiJsonBody,
  ApiPage,
  ApiProblems,
  arrayOf,
  BOOLEAN,
  FREE_OBJECT,
  INSTANT,
  INTEGER,
  nullable,
  object,
  TEXT,
  ApiCreateCommand,
} from '../http/openapi';
import { CreateReportRequestRequestDto, SubmitUnitReportRequestDto } from './commands/report-request.request.dto';
import { ReportRequestService } from './report-request.service';
import {
  GetReportRequestQuery,
  ListReportRequestsQuery,
  ListReportRequestsQueryDto,
} from './queries/report-request.queries';

const REPORT_REQUEST = object({
  id: TEXT,
  title: TEXT,
  kind: { type: 'string', enum: [...REPORT_REQUEST_KINDS] },
  unitIds: arrayOf(TEXT),
  dueDate: TEXT,
  dueAt: INSTANT,
  due: BOOLEAN,
  programmeId: nullable(TEXT),
  createdAt: INSTANT,
  submitted: arrayOf(object({ unitId: TEXT, at: INSTANT, late: BOOLEAN })),
  missing: arrayOf(TEXT),
  reports: arrayOf(FREE_OBJECT),
  reminders: arrayOf(FREE_OBJECT),
  overdue: nullable(object({ unitIds: arrayOf(TEXT), at: INSTANT })),
  revision: INTEGER,
});

/** 报送要求: the office asks units for a report by a due date; each unit reports once, on time or late. */
@ApiTags('report-requests')
@ApiBearer()
@Controller('report-requests')
export class ReportRequestsController {
  constructor(
    private readonly requests: ReportRequestService,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('registrar')
  @ApiOperation({
    summary:
      'Ask units for a report (专项报告, 年度工作报告) by a due date; the worker reminds them before it and records the missing ones at it',
  })
  @ApiCreateCommand()
  create(@Body() body: CreateReportRequestRequestDto, @CurrentCaller() caller: Caller) {
    return this.requests.create(newAggregateId('report request'), body, caller);
  }

  @Post(':id/reports')
  @Roles('unit_officer')
  @ApiOperation({
    summary: "A unit's report, once; after the due date it is accepted and marked late (the unit's officers only)",
  })
  @ApiCommandAnswer(201)
  @ApiJsonBody()
  @ApiIfMatch()
  @ApiProblems(403, 404)
  @ApiIdempotent()
  submit(
    @IdParam('report request') id: string,
    @Body() body: SubmitUnitReportRequestDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.requests.submit(id, body, caller);
  }

  @Get()
  @ApiOperation({
    summary:
      'Report requests, newest first, with cursor paging (unit officers and supervisors: those asking their units)',
  })
  @ApiPage(REPORT_REQUEST)
  @ApiProblems(400, 503)
  list(@Query() query: ListReportRequestsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new ListReportRequestsQuery(query, principal));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A report request: who reported when (late or not), who is missing, reminders, overdue' })
  @ApiJson(REPORT_REQUEST)
  @ApiProblems(404)
  get(@IdParam('report request') id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new GetReportRequestQuery(id, principal));
  }
}
