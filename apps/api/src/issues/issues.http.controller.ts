import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiBearer,
  BOOLEAN,
  INSTANT,
  ApiHistory,
  ApiIdempotent,
  ApiIfMatch,
  ApiJson,
  ApiJsonBody,
  ApiPage,
  ApiProblems,
  ApiView,
  INTEGER,
  object,
  ref,
  TEXT,
  ApiChangeCommand,
  ApiCreateCommand,
} from '../http/openapi';
import type { Response } from 'express';
import { newAggregateId } from '@duban/application';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { etagOf } from '../http/if-match';
import { Caller, CurrentCaller } from '../http/caller';
import { IdParam } from '../http/id-param';
import { IssueService } from './issue.service';
import { ISSUE_COMMAND_ROLES } from './issue-access';
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
import { OrderTimeLimitRequestDto } from './commands/order-time-limit/order-time-limit.request.dto';
import { ReopenIssueRequestDto } from './commands/reopen-issue/reopen-issue.request.dto';
import { RecordReporterFeedbackRequestDto } from './commands/record-reporter-feedback/record-reporter-feedback.request.dto';
import { DecideProposalRequestDto } from './commands/decide-proposal/decide-proposal.request.dto';
import { ResolveOnSpotRequestDto } from './commands/resolve-on-spot/resolve-on-spot.request.dto';
import { GetIssueQuery, GetIssueQueryDto } from './queries/get-issue.query';
import { GetIssueHistoryQuery } from './queries/get-issue-history.query';
import { ListIssuesQuery, ListIssuesQueryDto } from './queries/list-issues.query';

/** An assignment also answers the deadline it set and whether it was counted through a provisional year. */
const DEADLINE_ANSWER = { deadline: INSTANT, deadlineProvisional: BOOLEAN };

/** One line per route: the validated body becomes the use case's typed command, the service runs it. */
@ApiTags('issues')
@ApiBearer()
@Controller('issues')
export class IssuesController {
  constructor(
    private readonly issues: IssueService,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles(...ISSUE_COMMAND_ROLES.RegisterIssue)
  @ApiOperation({ summary: 'Register an issue (登记问题)' })
  @ApiCreateCommand()
  register(@Body() body: RegisterIssueRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.register(newAggregateId('issue'), body, caller);
  }

  @Get()
  @ApiOperation({
    summary: "List issues with filters, full-text search and cursor paging (unit officers: their unit's)",
  })
  @ApiPage(ref('IssueView'))
  @ApiProblems(400, 403, 503)
  listIssues(@Query() query: ListIssuesQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new ListIssuesQuery(query, principal));
  }

  @Get(':id')
  @ApiOperation({ summary: 'The issue as it stands, or as it stood at ?asOf=; ETag is its revision' })
  @ApiView('IssueView')
  @ApiProblems(400, 403, 404)
  async get(
    @IdParam('issue') id: string,
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
  @ApiHistory()
  @ApiProblems(403, 404)
  history(@IdParam('issue') id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new GetIssueHistoryQuery(id, principal));
  }

  @Post(':id/triage')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.TriageIssue)
  @ApiOperation({ summary: 'Triage (研判): category, priority and a note before assignment' })
  @ApiChangeCommand()
  triage(@IdParam('issue') id: string, @Body() body: TriageIssueRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'TriageIssue', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.AssignIssue)
  @ApiOperation({ summary: 'Assign to a lead unit with a deadline (交办)' })
  @ApiChangeCommand(DEADLINE_ANSWER)
  assign(@IdParam('issue') id: string, @Body() body: AssignIssueRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.assign(id, body, caller);
  }

  @Post(':id/reassign')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.ReassignIssue)
  @ApiOperation({ summary: 'Re-assign to another lead unit before work starts (改派), with a reason' })
  @ApiChangeCommand(DEADLINE_ANSWER)
  reassign(@IdParam('issue') id: string, @Body() body: ReassignIssueRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.reassign(id, body, caller);
  }

  @Post(':id/plan')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.SubmitPlan)
  @ApiOperation({ summary: 'Submit the rectification plan (整改任务书、时间表)' })
  @ApiChangeCommand()
  plan(@IdParam('issue') id: string, @Body() body: SubmitPlanRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'SubmitPlan', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/progress')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.ReportProgress)
  @ApiOperation({ summary: 'Report progress (按月上报工作进度)' })
  @ApiChangeCommand()
  progress(@IdParam('issue') id: string, @Body() body: ReportProgressRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'ReportProgress', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/extension-requests')
  @Roles(...ISSUE_COMMAND_ROLES.RequestExtension)
  @ApiOperation({ summary: 'Request a new deadline; answers {requestId, revision, position}' })
  @ApiJson(object({ requestId: TEXT, revision: INTEGER, position: INTEGER }), 201, 'Created')
  @ApiJsonBody()
  @ApiIfMatch()
  @ApiProblems(403, 404)
  @ApiIdempotent()
  async requestExtension(
    @IdParam('issue') id: string,
    @Body() body: RequestExtensionRequestDto,
    @CurrentCaller() caller: Caller,
  ) {
    const requestId = newAggregateId('extension request');
    const data = { ...body, issueId: id, requestId };
    const answer = await this.issues.execute({ type: 'RequestExtension', data }, caller);
    return { requestId, revision: answer.revision, position: answer.position };
  }

  @Post(':id/extension-requests/:requestId/decision')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.DecideExtension)
  @ApiOperation({ summary: 'Approve or refuse an extension request; approved, the new deadline applies' })
  @ApiChangeCommand()
  decideExtension(
    @IdParam('issue') id: string,
    @IdParam('extension request', 'requestId') requestId: string,
    @Body() body: DecideExtensionRequestDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.issues.execute({ type: 'DecideExtension', data: { ...body, issueId: id, requestId } }, caller);
  }

  @Post(':id/result')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.ReportResult)
  @ApiOperation({ summary: 'Report the rectification result (上报整改结果)' })
  @ApiChangeCommand()
  result(@IdParam('issue') id: string, @Body() body: ReportResultRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'ReportResult', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/assessments')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.AssessResult)
  @ApiOperation({ summary: 'Assess the result (满意 / 基本满意 / 不满意)' })
  @ApiChangeCommand()
  assess(@IdParam('issue') id: string, @Body() body: AssessResultRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'AssessResult', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/findings')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.RecordFinding)
  @ApiOperation({ summary: 'Record perfunctory or falsified rectification (整改不扎实不到位、弄虚作假)' })
  @ApiChangeCommand()
  finding(@IdParam('issue') id: string, @Body() body: RecordFindingRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'RecordFinding', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/close')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.CloseIssue)
  @ApiOperation({ summary: 'Close and file (销号备案)' })
  @ApiChangeCommand()
  close(@IdParam('issue') id: string, @Body() body: CloseIssueRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'CloseIssue', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.WithdrawIssue)
  @ApiOperation({ summary: 'Withdraw (撤销) an issue that needs no rectification, with a reason' })
  @ApiChangeCommand()
  withdraw(@IdParam('issue') id: string, @Body() body: WithdrawIssueRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'WithdrawIssue', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/escalations')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.EscalateIssue)
  @ApiOperation({ summary: 'Escalate by hand: 1 督办, 2 重点督办, 3 约谈, 4 问责' })
  @ApiChangeCommand()
  escalate(@IdParam('issue') id: string, @Body() body: EscalateIssueRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'EscalateIssue', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/accountability')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.RecordAccountability)
  @ApiOperation({ summary: 'Record an accountability measure (责任追究)' })
  @ApiChangeCommand()
  accountability(
    @IdParam('issue') id: string,
    @Body() body: RecordAccountabilityRequestDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.issues.recordAccountability(id, body, caller);
  }

  @Post(':id/lists')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.ListIssue)
  @ApiOperation({ summary: 'Publish on the red or black list (红黑榜)' })
  @ApiChangeCommand()
  list(@IdParam('issue') id: string, @Body() body: ListIssueRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'ListIssue', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/time-limit')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.OrderTimeLimit)
  @ApiOperation({
    summary: '责令限期整改: order a new time limit on an open issue (a new deadline version; the ladder starts again)',
  })
  @ApiChangeCommand(DEADLINE_ANSWER)
  orderTimeLimit(
    @IdParam('issue') id: string,
    @Body() body: OrderTimeLimitRequestDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.issues.setNewDeadline('OrderTimeLimit', id, body, caller);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.ReopenIssue)
  @ApiOperation({
    summary: '回头看: reopen a closed issue with a reason and a new deadline; the lead unit rectifies again',
  })
  @ApiChangeCommand(DEADLINE_ANSWER)
  reopen(@IdParam('issue') id: string, @Body() body: ReopenIssueRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.setNewDeadline('ReopenIssue', id, body, caller);
  }

  @Post(':id/reporter-feedback')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.RecordReporterFeedback)
  @ApiOperation({ summary: "回访: record the reporter's verdict on the rectification, once a result was reported" })
  @ApiChangeCommand()
  reporterFeedback(
    @IdParam('issue') id: string,
    @Body() body: RecordReporterFeedbackRequestDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.issues.execute({ type: 'RecordReporterFeedback', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/resolve-on-spot')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.ResolveOnSpot)
  @ApiOperation({
    summary: '立行立改: close a registered or triaged issue fixed on the spot (resolution on_spot), with what was done',
  })
  @ApiChangeCommand()
  resolveOnSpot(@IdParam('issue') id: string, @Body() body: ResolveOnSpotRequestDto, @CurrentCaller() caller: Caller) {
    return this.issues.execute({ type: 'ResolveOnSpot', data: { ...body, issueId: id } }, caller);
  }

  @Post(':id/proposals/:proposalId/decision')
  @HttpCode(200)
  @Roles(...ISSUE_COMMAND_ROLES.DecideProposal)
  @ApiOperation({ summary: 'Decide a proposal (责任追究, 约谈 …) once; approved, it becomes an accountability record' })
  @ApiChangeCommand()
  decideProposal(
    @IdParam('issue') id: string,
    @IdParam('proposal', 'proposalId') proposalId: string,
    @Body() body: DecideProposalRequestDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.issues.execute({ type: 'DecideProposal', data: { ...body, issueId: id, proposalId } }, caller);
  }
}
