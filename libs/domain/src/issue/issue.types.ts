import type { CommandMeta } from '../decider';

export const ISSUE_SOURCES = ['hotline', 'petition', 'inspection', 'undercover_visit', 'supervision_team', 'public_appraisal', 'audit', 'self_inspection', 'online'] as const;
export type IssueSource = (typeof ISSUE_SOURCES)[number];
export type IssueStatus = 'registered' | 'triaged' | 'assigned' | 'in_progress' | 'result_reported' | 'accepted' | 'reopened' | 'closed' | 'withdrawn';
export type Priority = 'normal' | 'high' | 'urgent';
export type AssignmentMode = 'leader' | 'counterpart' | 'joint';
export type Verdict = 'satisfied' | 'basically_satisfied' | 'unsatisfied';
export type FindingKind = 'perfunctory' | 'falsified';
export type AccountabilityMeasure = 'criticism_notice' | 'summons' | 'admonishment' | 'disciplinary_referral';
export type ListKind = 'red' | 'black';
/** 1 督办, 2 重点督办, 3 约谈, 4 问责 */
export type EscalationLevel = 1 | 2 | 3 | 4;

export interface Reporter {
  name: string;
  phone?: string;
  confidential?: boolean;
}
export interface Person {
  name: string;
  title?: string;
}
export interface Measure {
  description: string;
  owner: string;
  dueDate: string;
}
export interface AccountabilityTarget {
  kind: 'person' | 'unit';
  name?: string;
  unitId?: string;
}

// ---- commands: {type, data, meta}; every data carries the issue id --------------------------------

type Cmd<T extends string, D> = { type: T; data: D & { issueId: string }; meta: CommandMeta };

export type RegisterIssue = Cmd<
  'RegisterIssue',
  { source: IssueSource; category: string; title: string; description: string; location?: string; reporter?: Reporter; attachments?: string[]; origin?: Record<string, unknown> }
>;
export type TriageIssue = Cmd<'TriageIssue', { category?: string; priority?: Priority; note?: string }>;
export type AssignIssue = Cmd<
  'AssignIssue',
  { leadUnitId: string; coUnitIds?: string[]; responsiblePerson: Person; deadline: string; deadlineWorkingDays?: number; instructions?: string; mode: AssignmentMode }
>;
export type SubmitPlan = Cmd<'SubmitPlan', { measures: Measure[] }>;
export type ReportProgress = Cmd<'ReportProgress', { text: string; percent?: number }>;
export type RequestExtension = Cmd<'RequestExtension', { requestId: string; newDeadline: string; reason: string }>;
export type DecideExtension = Cmd<'DecideExtension', { requestId: string; approved: boolean; note?: string }>;
export type ReportResult = Cmd<'ReportResult', { summary: string; evidence?: string[] }>;
export type AssessResult = Cmd<'AssessResult', { verdict: Verdict; comment?: string; newDeadline?: string }>;
export type RecordFinding = Cmd<'RecordFinding', { kind: FindingKind; note: string }>;
export type CloseIssue = Cmd<'CloseIssue', { note?: string }>;
export type WithdrawIssue = Cmd<'WithdrawIssue', { reason: string }>;
/** `automatic`: issued by the deadline worker for `deadlineVersion`; a level already reached is then a no-op */
export type EscalateIssue = Cmd<'EscalateIssue', { level: number; reason: string; automatic?: boolean; deadlineVersion?: number }>;
export type RecordAccountability = Cmd<'RecordAccountability', { measure: AccountabilityMeasure; target: AccountabilityTarget; reason: string }>;
export type ListIssue = Cmd<'ListIssue', { list: ListKind; reason: string }>;
/** recorded by the deadline worker; `offset` is the ISO duration before the deadline (e.g. P1D) */
export type SendReminder = Cmd<'SendReminder', { deadlineVersion: number; offset: string }>;

export type IssueCommand =
  | RegisterIssue
  | TriageIssue
  | AssignIssue
  | SubmitPlan
  | ReportProgress
  | RequestExtension
  | DecideExtension
  | ReportResult
  | AssessResult
  | RecordFinding
  | CloseIssue
  | WithdrawIssue
  | EscalateIssue
  | RecordAccountability
  | ListIssue
  | SendReminder;

// ---- events: {type, data}; each data carries `at` (the command's time) and `by` (the actor id) ---

type Evt<T extends string, D> = { type: T; data: D & { issueId: string; at: string; by: string } };

export type IssueRegistered = Evt<
  'IssueRegistered',
  { source: IssueSource; category: string; title: string; description: string; location: string | null; reporter: Reporter | null; attachments: string[]; origin?: Record<string, unknown> }
>;
export type IssueTriaged = Evt<'IssueTriaged', { category: string; priority: Priority; note: string | null }>;
export type IssueAssigned = Evt<
  'IssueAssigned',
  {
    leadUnitId: string;
    coUnitIds: string[];
    responsiblePerson: Person;
    deadline: string;
    deadlineWorkingDays: number | null;
    deadlineVersion: number;
    instructions: string | null;
    mode: AssignmentMode;
  }
>;
export type PlanSubmitted = Evt<'PlanSubmitted', { measures: Measure[] }>;
export type ProgressReported = Evt<'ProgressReported', { text: string; percent: number | null }>;
export type ExtensionRequested = Evt<'ExtensionRequested', { requestId: string; newDeadline: string; reason: string }>;
export type ExtensionApproved = Evt<'ExtensionApproved', { requestId: string; deadline: string; deadlineVersion: number; note: string | null }>;
export type ExtensionRejected = Evt<'ExtensionRejected', { requestId: string; note: string | null }>;
export type ResultReported = Evt<'ResultReported', { summary: string; evidence: string[]; leadUnitId: string; deadline: string; onTime: boolean }>;
export type ResultAssessed = Evt<'ResultAssessed', { verdict: Verdict; comment: string | null; leadUnitId: string }>;
export type IssueReopened = Evt<'IssueReopened', { deadline: string; deadlineVersion: number }>;
export type FindingRecorded = Evt<'FindingRecorded', { kind: FindingKind; note: string; leadUnitId: string }>;
export type IssueClosed = Evt<'IssueClosed', { note: string | null; deadline: string; onTime: boolean }>;
export type IssueWithdrawn = Evt<'IssueWithdrawn', { reason: string; fromStatus: IssueStatus }>;
export type IssueEscalated = Evt<'IssueEscalated', { level: EscalationLevel; fromLevel: number; reason: string; automatic: boolean; deadlineVersion: number; leadUnitId: string }>;
export type AccountabilityRecorded = Evt<'AccountabilityRecorded', { measure: AccountabilityMeasure; target: AccountabilityTarget; reason: string }>;
export type IssueListed = Evt<'IssueListed', { list: ListKind; reason: string }>;
export type ReminderSent = Evt<'ReminderSent', { deadlineVersion: number; offset: string; deadline: string; leadUnitId: string }>;

export type IssueEvent =
  | IssueRegistered
  | IssueTriaged
  | IssueAssigned
  | PlanSubmitted
  | ProgressReported
  | ExtensionRequested
  | ExtensionApproved
  | ExtensionRejected
  | ResultReported
  | ResultAssessed
  | IssueReopened
  | FindingRecorded
  | IssueClosed
  | IssueWithdrawn
  | IssueEscalated
  | AccountabilityRecorded
  | IssueListed
  | ReminderSent;

export const ISSUE_EVENT_TYPES: readonly IssueEvent['type'][] = [
  'IssueRegistered',
  'IssueTriaged',
  'IssueAssigned',
  'PlanSubmitted',
  'ProgressReported',
  'ExtensionRequested',
  'ExtensionApproved',
  'ExtensionRejected',
  'ResultReported',
  'ResultAssessed',
  'IssueReopened',
  'FindingRecorded',
  'IssueClosed',
  'IssueWithdrawn',
  'IssueEscalated',
  'AccountabilityRecorded',
  'IssueListed',
  'ReminderSent',
];
