import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { etagOf, IfMatch } from '../http/if-match';
import { CommandAnswer } from '../application/streams';
import { ISSUE_COMMAND_ROLES } from './issue-access';
import { ExecuteIssueCommand } from './commands/execute-issue-command';
import { RegisterIssueRequestDto } from './commands/register-issue/register-issue.request.dto';
import { TriageIssueRequestDto } from './commands/triage-issue/triage-issue.request.dto';
import { AssignIssueRequestDto } from './commands/assign-issue/assign-issue.request.dto';
import { ReassignIssueRequestDto } from './commands/reassign-issue/reassign-issue.request.dto';
import { SubmitPlanRequestDto } from './commands/submit-plan/submit-plan.request.dto';
import { ReportProgressRequestDto } from './commands/report-progress/report-progress.request.dto';
import { RequestExtensionRequestDto } from './commands/request-extension/request-extension.request.dto';
import { DecideExtensionRequestDto } from './commands/decide-extension/decide-extension.request.dto';
import { ReportResultRequestDto } from './commands/report-result/report-result.request.dto';
import { AssessResultRequestDto } from './commands/assess-result/assess-result.request.dto';
import { RecordFindingRequestDto } from './commands/record-finding/record-finding.request.dto';
import { CloseIssueRequestDto } from './commands/close-issue/close-issue.request.dto';
import { WithdrawIssueRequestDto } from './commands/withdraw-issue/withdraw-issue.request.dto';
import { EscalateIssueRequestDto } from './commands/escalate-issue/escalate-issue.request.dto';
import { RecordAccountabilityRequestDto } from './commands/record-accountability/record-accountability.request.dto';
import { ListIssueRequestDto } from './commands/list-issue/list-issue.request.dto';
import { GetIssueQuery, GetIssueQueryDto } from './queries/get-issue.query';
import { GetIssueHistoryQuery } from './queries/get-issue-history.query';
import { ListIssuesQuery, ListIssuesQueryDto } from './queries/list-issues.query';

const uuid = new ParseUUIDPipe({ version: undefined });
const dto = <T extends object>(body: T) => ({ ...body }) as Record<string, unknown>;

/** Thin: validate, hand a command to the bus, answer {id, revision, position}. */
@ApiTags('issues')
@ApiBearerAuth()
@Controller('issues')
export class IssuesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  private run(
    id: string,
    type: ExecuteIssueCommand['type'],
    body: object,
    principal: Principal,
    ifMatch?: number,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new ExecuteIssueCommand(id, type, dto(body), principal, ifMatch));
  }

  @Post()
  @Roles(...ISSUE_COMMAND_ROLES.RegisterIssue)
  @ApiOperation({ summary: 'Register an issue (登记问题)' })
  register(@Body() body: RegisterIssueRequestDto, @CurrentPrincipal() principal: Principal) {
    return this.run(randomUUID(), 'RegisterIssue', body, principal);
  }

  @Get()
  @ApiOperation({
    summary: "List issues with filters, full-text search and cursor paging (unit officers: their unit's)",
  })
  listIssues(@Query() query: ListIssuesQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new ListIssuesQuery(query, principal));
  }

  @Get(':id')
  @ApiOperation({ summary: 'The issue as it stands, or as it stood at ?asOf=; ETag is its revision' })
  async get(
    @Param('id', uuid) id: string,
    @Query() query: GetIssueQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.queries.execute(new GetIssueQuery(id, principal, query.asOf));
    res.setHeader('ETag', etagOf(view.revision));
    return view;
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The issue's events with actor, time and data" })
  history(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new GetIssueHistoryQuery(id, principal));
  }

  @Post(':id/triage')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.TriageIssue)
  triage(
    @Param('id', uuid) id: string,
    @Body() body: TriageIssueRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'TriageIssue', body, p, ifMatch);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.AssignIssue)
  @ApiOperation({ summary: 'Assign to a lead unit with a deadline (交办)' })
  assign(
    @Param('id', uuid) id: string,
    @Body() body: AssignIssueRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'AssignIssue', body, p, ifMatch);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.ReassignIssue)
  @ApiOperation({ summary: 'Re-assign to another lead unit before work starts (改派), with a reason' })
  reassign(
    @Param('id', uuid) id: string,
    @Body() body: ReassignIssueRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'ReassignIssue', body, p, ifMatch);
  }

  @Post(':id/plan')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.SubmitPlan)
  @ApiOperation({ summary: 'Submit the rectification plan (整改任务书、时间表)' })
  plan(
    @Param('id', uuid) id: string,
    @Body() body: SubmitPlanRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'SubmitPlan', body, p, ifMatch);
  }

  @Post(':id/progress')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.ReportProgress)
  @ApiOperation({ summary: 'Report progress (按月上报工作进度)' })
  progress(
    @Param('id', uuid) id: string,
    @Body() body: ReportProgressRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'ReportProgress', body, p, ifMatch);
  }

  @Post(':id/extension-requests')
  @Roles(...ISSUE_COMMAND_ROLES.RequestExtension)
  @ApiOperation({ summary: 'Request a new deadline; answers {requestId, revision, position}' })
  async requestExtension(
    @Param('id', uuid) id: string,
    @Body() body: RequestExtensionRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    const requestId = randomUUID();
    const answer = await this.commands.execute(
      new ExecuteIssueCommand(id, 'RequestExtension', { ...dto(body), requestId }, p, ifMatch),
    );
    return { requestId, revision: answer.revision, position: answer.position };
  }

  @Post(':id/extension-requests/:requestId/decision')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.DecideExtension)
  decideExtension(
    @Param('id', uuid) id: string,
    @Param('requestId', uuid) requestId: string,
    @Body() body: DecideExtensionRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'DecideExtension', { ...body, requestId }, p, ifMatch);
  }

  @Post(':id/result')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.ReportResult)
  @ApiOperation({ summary: 'Report the rectification result (上报整改结果)' })
  result(
    @Param('id', uuid) id: string,
    @Body() body: ReportResultRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'ReportResult', body, p, ifMatch);
  }

  @Post(':id/assessments')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.AssessResult)
  @ApiOperation({ summary: 'Assess the result (满意 / 基本满意 / 不满意)' })
  assess(
    @Param('id', uuid) id: string,
    @Body() body: AssessResultRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'AssessResult', body, p, ifMatch);
  }

  @Post(':id/findings')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.RecordFinding)
  @ApiOperation({ summary: 'Record perfunctory or falsified rectification (整改不扎实不到位、弄虚作假)' })
  finding(
    @Param('id', uuid) id: string,
    @Body() body: RecordFindingRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'RecordFinding', body, p, ifMatch);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.CloseIssue)
  @ApiOperation({ summary: 'Close and file (销号备案)' })
  close(
    @Param('id', uuid) id: string,
    @Body() body: CloseIssueRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'CloseIssue', body, p, ifMatch);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.WithdrawIssue)
  withdraw(
    @Param('id', uuid) id: string,
    @Body() body: WithdrawIssueRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'WithdrawIssue', body, p, ifMatch);
  }

  @Post(':id/escalations')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.EscalateIssue)
  @ApiOperation({ summary: 'Escalate by hand: 1 督办, 2 重点督办, 3 约谈, 4 问责' })
  escalate(
    @Param('id', uuid) id: string,
    @Body() body: EscalateIssueRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'EscalateIssue', body, p, ifMatch);
  }

  @Post(':id/accountability')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.RecordAccountability)
  @ApiOperation({ summary: 'Record an accountability measure (责任追究)' })
  accountability(
    @Param('id', uuid) id: string,
    @Body() body: RecordAccountabilityRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'RecordAccountability', body, p, ifMatch);
  }

  @Post(':id/lists')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.ListIssue)
  @ApiOperation({ summary: 'Publish on the red or black list (红黑榜)' })
  list(
    @Param('id', uuid) id: string,
    @Body() body: ListIssueRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.run(id, 'ListIssue', body, p, ifMatch);
  }
}
