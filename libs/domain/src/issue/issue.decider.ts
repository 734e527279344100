import type { Decider } from '../decider';
import { AlreadyExists, InvalidCommand, NotFound } from '../errors';
import {
  assessResult,
  assignIssue,
  closeIssue,
  decideExtension,
  decideProposal,
  eraseReporter,
  escalateIssue,
  listIssue,
  reassignIssue,
  rederiveDeadline,
  orderTimeLimit,
  proposeAccountability,
  reopenIssue,
  resolveOnSpot,
  recordAccountability,
  recordFinding,
  recordReporterFeedback,
  registerIssue,
  remindProgress,
  reportProgress,
  reportResult,
  requestExtension,
  requestProgress,
  sendReminder,
  submitPlan,
  triageIssue,
  withdrawIssue,
} from './decide';
import { eventBase } from './decide/refusals';
import type { IssueCommand } from './issue.commands';
import type { IssueEvent } from './issue.events';
import { evolveIssue, initialIssueState, IssueState } from './issue.state';

/**
 * The checks every issue command shares (its meta, and that the issue exists — or, to register it, does
 * not), then the command's own function under `decide/`, one per command.
 */
export function decideIssue(command: IssueCommand, state: IssueState): IssueEvent[] {
  requireExistence(command, state);
  switch (command.type) {
    case 'RegisterIssue':
      return registerIssue(command, state);
    case 'TriageIssue':
      return triageIssue(command, state);
    case 'AssignIssue':
      return assignIssue(command, state);
    case 'ReassignIssue':
      return reassignIssue(command, state);
    case 'SubmitPlan':
      return submitPlan(command, state);
    case 'ReportProgress':
      return reportProgress(command, state);
    case 'RequestExtension':
      return requestExtension(command, state);
    case 'DecideExtension':
      return decideExtension(command, state);
    case 'ReportResult':
      return reportResult(command, state);
    case 'EraseReporter':
      return eraseReporter(command, state);
    case 'AssessResult':
      return assessResult(command, state);
    case 'RecordReporterFeedback':
      return recordReporterFeedback(command, state);
    case 'RecordFinding':
      return recordFinding(command, state);
    case 'CloseIssue':
      return closeIssue(command, state);
    case 'WithdrawIssue':
      return withdrawIssue(command, state);
    case 'EscalateIssue':
      return escalateIssue(command, state);
    case 'RecordAccountability':
      return recordAccountability(command, state);
    case 'ProposeAccountability':
      return proposeAccountability(command, state);
    case 'DecideProposal':
      return decideProposal(command, state);
    case 'ListIssue':
      return listIssue(command, state);
    case 'SendReminder':
      return sendReminder(command, state);
    case 'OrderTimeLimit':
      return orderTimeLimit(command, state);
    case 'ReopenIssue':
      return reopenIssue(command, state);
    case 'ResolveOnSpot':
      return resolveOnSpot(command, state);
    case 'RederiveDeadline':
      return rederiveDeadline(command, state);
    case 'RequestProgress':
      return requestProgress(command, state);
    case 'RemindProgress':
      return remindProgress(command, state);
    default:
      return unknownCommand(command);
  }
}

function requireExistence(command: IssueCommand, state: IssueState): void {
  const { issueId } = eventBase(command);
  if (command.type === 'RegisterIssue') {
    if (state.status !== 'none') throw new AlreadyExists(`issue ${issueId} is already registered`);
    return;
  }
  if (state.status === 'none') throw new NotFound(`issue ${issueId} does not exist`);
  if (state.id !== issueId)
    throw new InvalidCommand('issueId', `names issue ${issueId} but the state is issue ${state.id}`);
}

/** A command of a type this version does not know (sent by a newer client or script). */
function unknownCommand(command: never): never {
  throw new InvalidCommand('type', `unknown issue command ${String(Reflect.get(Object(command), 'type'))}`);
}

export const issueDecider: Decider<IssueState, IssueCommand, IssueEvent> = {
  decide: decideIssue,
  evolve: evolveIssue,
  initialState: initialIssueState,
};
