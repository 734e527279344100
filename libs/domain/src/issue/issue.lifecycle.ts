import type { IssueCommandType } from './issue.commands';
import type { IssueStatus } from './issue.vocabulary';

type StatusOrNone = IssueStatus | 'none';

/**
 * The lifecycle of DESIGN.md §2.1 as data: from which statuses each command is accepted. The decider
 * refuses every other status with IllegalTransition; a few commands add finer rules (noted here) that
 * the decider enforces on top. The API's docs and the specs read the same table.
 *
 *   registered ─triage→ triaged ─assign→ assigned (─re-assign (改派)→ assigned) ─plan/progress→ in_progress ─result→ result_reported
 *   result straight from assigned (立行立改) or reopened; progress from reopened → in_progress
 *   assess satisfied | basically_satisfied → accepted ─close→ closed (销号备案)
 *   assess unsatisfied + newDeadline → reopened (deadlineVersion + 1)
 *   withdraw: registered, triaged, assigned, in_progress (never once a result was reported)
 */
export const ISSUE_LIFECYCLE: {
  readonly [C in IssueCommandType]: {
    readonly from: readonly StatusOrNone[];
    readonly action: string;
    readonly rule?: string;
  };
} = {
  RegisterIssue: { from: ['none'], action: 'register' },
  TriageIssue: {
    from: ['registered', 'triaged'],
    action: 'triage',
    rule: 'triaging again is allowed until the issue is assigned',
  },
  AssignIssue: { from: ['registered', 'triaged'], action: 'assign', rule: 'once: another unit is ReassignIssue' },
  ReassignIssue: {
    from: ['assigned'],
    action: 're-assign',
    rule: 'before a plan or progress, and with no extension request pending',
  },
  SubmitPlan: {
    from: ['assigned', 'in_progress', 'reopened'],
    action: 'submit a plan for',
    rule: 'a later plan replaces the earlier one',
  },
  ReportProgress: { from: ['assigned', 'in_progress', 'reopened'], action: 'report progress on' },
  RequestExtension: {
    from: ['assigned', 'in_progress', 'reopened'],
    action: 'request an extension for',
    rule: 'one pending request at a time',
  },
  DecideExtension: {
    from: ['assigned', 'in_progress', 'reopened'],
    action: 'decide an extension request of',
    rule: 'the request must be pending',
  },
  ReportResult: {
    from: ['assigned', 'in_progress', 'reopened'],
    action: 'report a result on',
    rule: 'a pending extension request lapses',
  },
  AssessResult: { from: ['result_reported'], action: 'assess' },
  RecordReporterFeedback: {
    from: ['result_reported', 'accepted', 'reopened', 'closed'],
    action: "record the reporter's feedback on",
    rule: 'once a result was reported, closed included; the latest feedback counts',
  },
  EraseReporter: {
    from: [
      'registered',
      'triaged',
      'assigned',
      'in_progress',
      'result_reported',
      'accepted',
      'reopened',
      'closed',
      'withdrawn',
    ],
    action: "erase the reporter's personal data on",
    rule: 'PIPL: only a sealed reporter (crypto-shredding), once; a reporter recorded in clear by an earlier version cannot be erased from the log',
  },
  RecordFinding: {
    from: ['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'],
    action: 'record a finding on',
  },
  CloseIssue: { from: ['accepted'], action: 'close' },
  WithdrawIssue: {
    from: ['registered', 'triaged', 'assigned', 'in_progress'],
    action: 'withdraw',
    rule: 'never once a result was reported; a pending extension request lapses',
  },
  EscalateIssue: {
    from: ['assigned', 'in_progress', 'reopened'],
    action: 'escalate',
    rule: 'only upwards; automatic ones only for the current deadline version once it has passed',
  },
  RecordAccountability: {
    from: ['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'],
    action: 'record accountability on',
  },
  ProposeAccountability: {
    from: ['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'],
    action: 'propose accountability on',
    rule: 'each proposal id once',
  },
  DecideProposal: {
    from: ['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'],
    action: 'decide a proposal of',
    rule: 'the proposal must be pending; approving records the accountability',
  },
  ListIssue: {
    from: ['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'],
    action: 'list',
    rule: 'red only once accepted or closed, and not when black-listed; each list once',
  },
  SendReminder: {
    from: ['assigned', 'in_progress', 'reopened'],
    action: 'send a reminder for',
    rule: 'only for the current deadline version; a repeat records nothing',
  },
  OrderTimeLimit: {
    from: ['assigned', 'in_progress', 'reopened'],
    action: 'order a new time limit for',
    rule: 'the new deadline is after the order; a pending extension request stays pending',
  },
  ReopenIssue: {
    from: ['closed'],
    action: 'reopen',
    rule: 'only a closed issue (回头看); an open one gets a new time limit instead',
  },
  ResolveOnSpot: {
    from: ['registered', 'triaged'],
    action: 'resolve on the spot',
    rule: 'before assignment; closes the issue with resolution on_spot',
  },
  RederiveDeadline: {
    from: ['assigned', 'in_progress', 'reopened'],
    action: 're-derive the deadline of',
    rule: 'only a working-day deadline of the current version; the same instant records nothing',
  },
  RequestProgress: {
    from: ['assigned', 'in_progress', 'reopened'],
    action: 'request a progress report for',
    rule: 'once a month; a repeat records nothing',
  },
  RemindProgress: {
    from: ['assigned', 'in_progress', 'reopened'],
    action: 'remind of a progress report for',
    rule: "after the month's request is due, unless a report came since the request; once",
  },
};

/** What to do instead, by the status that refused: the lifecycle read as advice. */
export const NEXT_STEP: { readonly [S in StatusOrNone]: string } = {
  none: 'register it first',
  registered: 'assign it first',
  triaged: 'assign it first',
  assigned: 'the unit is rectifying it: it may submit a plan, report progress or report its result',
  in_progress: 'the unit is rectifying it: it may report progress or its result',
  result_reported: 'its result awaits assessment',
  accepted: 'it awaits closing (销号)',
  reopened: 'the unit is rectifying it again after an unsatisfied assessment',
  closed: 'it is closed (销号备案); register a new issue if the problem recurs',
  withdrawn: 'it was withdrawn',
};
