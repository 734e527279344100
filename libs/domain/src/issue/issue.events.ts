import type {
  AccountabilityMeasure,
  Accused,
  ForwardedBy,
  IssueKind,
  AccountabilityTarget,
  AssessmentMethod,
  AssignmentMode,
  AssignmentBatchRef,
  FeedbackChannel,
  EscalationLevel,
  FindingKind,
  IssueSource,
  IssueStatus,
  ListKind,
  Measure,
  Person,
  Priority,
  Reporter,
  Verdict,
} from './issue.vocabulary';
import type { AttachmentRef, EvidenceRef } from '../attachment/attachment-ref';

/**
 * Every issue event: `{type, data}` with plain JSON data. Each data carries `issueId`, `at` (the
 * command's time, an ISO instant) and `by` (the actor's id), plus whatever a read model needs, so
 * projections never read metadata or other streams (e.g. `leadUnitId` on the events that count for
 * or against a unit). Optional fields are `null`, never absent, so the JSON is stable.
 */
type IssueEvt<T extends string, D> = { type: T; data: D & { issueId: string; at: string; by: string } };

/** `at` is the registration time. */
export type IssueRegistered = IssueEvt<
  'IssueRegistered',
  {
    source: IssueSource;
    category: string;
    title: string;
    description: string;
    location: string | null;
    reporter: Reporter | null;
    /** evidence files `{id, sha256, size, mediaType, name}` (the hash chain covers their hashes); free text in events before them */
    attachments: EvidenceRef[];
    origin?: Record<string, unknown>;
    /** the intake fields below are recorded only when given (events before them lack them) */
    kind?: IssueKind;
    accused?: Accused;
    reference?: string;
    forwardedBy?: ForwardedBy;
    backlog?: boolean;
    programmeId?: string;
    phase?: string;
    inspectionId?: string;
  }
>;
export type IssueTriaged = IssueEvt<'IssueTriaged', { category: string; priority: Priority; note: string | null }>;
/** `at` is the assignment time; on a re-assignment (改派) `previousLeadUnitId` and `reason` are set, else null. */
export type IssueAssigned = IssueEvt<
  'IssueAssigned',
  {
    leadUnitId: string;
    coUnitIds: string[];
    /** 责任单位; recorded when there are any */
    responsibleUnitIds?: string[];
    responsiblePerson: Person;
    deadline: string;
    deadlineWorkingDays: number | null;
    /** set when the working-day count went through years with no published schedule */
    provisionalYears?: number[];
    deadlineVersion: number;
    instructions: string | null;
    mode: AssignmentMode;
    previousLeadUnitId: string | null;
    reason: string | null;
    /** 联合交办: recorded when there are any */
    partnerAgencies?: string[];
    /** 交办会: recorded when the assignment was one item of a batch */
    batch?: AssignmentBatchRef;
  }
>;
export type PlanSubmitted = IssueEvt<
  'PlanSubmitted',
  { measures: Measure[]; leadUnitId: string; /** recorded when given */ attachments?: AttachmentRef[] }
>;
export type ProgressReported = IssueEvt<
  'ProgressReported',
  {
    text: string;
    percent: number | null;
    leadUnitId: string;
    /** a co-unit or responsible unit reporting on its part (absent: the lead unit or the office) */
    reportingUnitId?: string;
    /** recorded when given */
    attachments?: AttachmentRef[];
  }
>;
export type ExtensionRequested = IssueEvt<
  'ExtensionRequested',
  { requestId: string; newDeadline: string; reason: string; currentDeadline: string; leadUnitId: string }
>;
/** The deadline moves to `deadline` (the requested one) with `deadlineVersion` bumped. */
export type ExtensionApproved = IssueEvt<
  'ExtensionApproved',
  { requestId: string; deadline: string; deadlineVersion: number; note: string | null }
>;
export type ExtensionRejected = IssueEvt<'ExtensionRejected', { requestId: string; note: string | null }>;
/** A pending request that became moot: the result was reported, or the issue withdrawn, before a decision. */
export type ExtensionRequestLapsed = IssueEvt<
  'ExtensionRequestLapsed',
  { requestId: string; because: 'result_reported' | 'withdrawn' }
>;
/** `onTime`: reported no later than the deadline in force (`deadline`, version `deadlineVersion`). */
export type ResultReported = IssueEvt<
  'ResultReported',
  {
    summary: string;
    evidence: EvidenceRef[];
    leadUnitId: string;
    deadline: string;
    deadlineVersion: number;
    onTime: boolean;
  }
>;
/** `method` and `panel` are recorded only when given (events before them lack them). */
export type ResultAssessed = IssueEvt<
  'ResultAssessed',
  { verdict: Verdict; comment: string | null; leadUnitId: string; method?: AssessmentMethod; panel?: string[] }
>;
/** PIPL erasure (crypto-shredding): which reporter and data key, and why; never any personal data. */
export type ReporterErased = IssueEvt<'ReporterErased', { reporterId: string; keyId: string; reason: string }>;
/** 回访: the reporter's verdict on the rectification, and how they were reached. */
export type ReporterFeedbackRecorded = IssueEvt<
  'ReporterFeedbackRecorded',
  { channel: FeedbackChannel; verdict: Verdict; note: string | null; leadUnitId: string }
>;
/**
 * Follows an unsatisfied `ResultAssessed` in the same decision: a new deadline, version bumped. Also the
 * office reopening a closed issue (回头看): then `fromStatus` is `closed`, with a `reason`, and the deadline may
 * have been counted in working days.
 */
export type IssueReopened = IssueEvt<
  'IssueReopened',
  {
    deadline: string;
    deadlineVersion: number;
    leadUnitId: string;
    fromStatus?: 'closed';
    reason?: string;
    deadlineWorkingDays?: number | null;
    provisionalYears?: number[];
  }
>;
/** 责令限期整改: the office orders a new time limit on an open issue; a new deadline version. */
export type TimeLimitOrdered = IssueEvt<
  'TimeLimitOrdered',
  {
    deadline: string;
    previousDeadline: string;
    deadlineVersion: number;
    deadlineWorkingDays: number | null;
    provisionalYears?: number[];
    reason: string;
    leadUnitId: string;
  }
>;
export type FindingRecorded = IssueEvt<
  'FindingRecorded',
  { kind: FindingKind; note: string; leadUnitId: string; /** recorded when given */ attachments?: AttachmentRef[] }
>;
/** `verdict` is the accepting assessment's; `onTime` whether the accepted result came by its deadline. */
export type IssueClosed = IssueEvt<
  'IssueClosed',
  { note: string | null; deadline: string; onTime: boolean; verdict: Verdict; leadUnitId: string }
>;
/** 立行立改: fixed at once from `fromStatus`; the issue is closed with resolution `on_spot`, no unit assigned. */
export type IssueResolvedOnSpot = IssueEvt<
  'IssueResolvedOnSpot',
  { summary: string; evidence: EvidenceRef[]; fromStatus: 'registered' | 'triaged' }
>;
export type IssueWithdrawn = IssueEvt<'IssueWithdrawn', { reason: string; fromStatus: IssueStatus }>;
export type IssueEscalated = IssueEvt<
  'IssueEscalated',
  {
    level: EscalationLevel;
    fromLevel: number;
    reason: string;
    automatic: boolean;
    deadline: string;
    deadlineVersion: number;
    leadUnitId: string;
  }
>;
export type AccountabilityRecorded = IssueEvt<
  'AccountabilityRecorded',
  { measure: AccountabilityMeasure; target: AccountabilityTarget; reason: string; leadUnitId: string }
>;
/** A measure proposed for a person's decision; `causedBy` is the event that led to it (null when a person proposed it). */
export type AccountabilityProposed = IssueEvt<
  'AccountabilityProposed',
  {
    proposalId: string;
    kind: AccountabilityMeasure;
    target: AccountabilityTarget;
    reason: string;
    causedBy: string | null;
    leadUnitId: string;
  }
>;
/** Followed by the `AccountabilityRecorded` it approves, in the same decision. */
export type ProposalApproved = IssueEvt<'ProposalApproved', { proposalId: string; note: string | null }>;
export type ProposalRejected = IssueEvt<'ProposalRejected', { proposalId: string; note: string | null }>;
export type IssueListed = IssueEvt<'IssueListed', { list: ListKind; reason: string; leadUnitId: string }>;
/** Recipients: the lead unit and the co-units. */
export type ReminderSent = IssueEvt<
  'ReminderSent',
  { deadlineVersion: number; offset: string; deadline: string; leadUnitId: string; coUnitIds: string[] }
>;
/** Recipients: the lead unit and the co-units. */
export type ProgressRequested = IssueEvt<
  'ProgressRequested',
  { month: string; dueBy: string; leadUnitId: string; coUnitIds: string[] }
>;
/** A working-day deadline counted again after a year's schedule changed (`reason: 'calendar'`): a new deadline version. */
export type DeadlineRederived = IssueEvt<
  'DeadlineRederived',
  {
    deadline: string;
    previousDeadline: string;
    deadlineVersion: number;
    reason: 'calendar';
    calendarYear: number;
    provisionalYears: number[];
    leadUnitId: string;
  }
>;
export type ProgressReminderSent = IssueEvt<
  'ProgressReminderSent',
  { month: string; dueBy: string; leadUnitId: string }
>;

export type IssueEvent =
  | IssueRegistered
  | IssueTriaged
  | IssueAssigned
  | PlanSubmitted
  | ProgressReported
  | ExtensionRequested
  | ExtensionApproved
  | ExtensionRejected
  | ExtensionRequestLapsed
  | ResultReported
  | ResultAssessed
  | ReporterFeedbackRecorded
  | ReporterErased
  | IssueReopened
  | FindingRecorded
  | IssueClosed
  | IssueResolvedOnSpot
  | IssueWithdrawn
  | IssueEscalated
  | AccountabilityRecorded
  | AccountabilityProposed
  | ProposalApproved
  | ProposalRejected
  | IssueListed
  | ReminderSent
  | ProgressRequested
  | ProgressReminderSent
  | DeadlineRederived
  | TimeLimitOrdered;

export type IssueEventType = IssueEvent['type'];

/** Every issue event type, e.g. for a projection's subscription filter. */
export const ISSUE_EVENT_TYPES: readonly IssueEventType[] = [
  'IssueRegistered',
  'IssueTriaged',
  'IssueAssigned',
  'PlanSubmitted',
  'ProgressReported',
  'ExtensionRequested',
  'ExtensionApproved',
  'ExtensionRejected',
  'ExtensionRequestLapsed',
  'ResultReported',
  'ResultAssessed',
  'ReporterFeedbackRecorded',
  'ReporterErased',
  'IssueReopened',
  'FindingRecorded',
  'IssueClosed',
  'IssueResolvedOnSpot',
  'IssueWithdrawn',
  'IssueEscalated',
  'AccountabilityRecorded',
  'AccountabilityProposed',
  'ProposalApproved',
  'ProposalRejected',
  'IssueListed',
  'ReminderSent',
  'ProgressRequested',
  'ProgressReminderSent',
  'DeadlineRederived',
  'TimeLimitOrdered',
];
