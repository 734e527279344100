import type { EvidenceRef } from '../attachment/attachment-ref';
import type { IssueEvent } from './issue.events';
import {
  isOpenStatus,
  type AccountabilityMeasure,
  type AccountabilityTarget,
  type AssessmentMethod,
  type Accused,
  type FeedbackChannel,
  type AssignmentMode,
  type AssignmentBatchRef,
  type Resolution,
  type ForwardedBy,
  type IssueKind,
  type FindingKind,
  type IssueSource,
  type IssueStatus,
  type ListKind,
  type ProposalStatus,
  type Measure,
  type Person,
  type Priority,
  type Reporter,
  type Verdict,
} from './issue.vocabulary';

export interface ExtensionRequest {
  requestId: string;
  newDeadline: string;
  reason: string;
  requestedAt: string;
  requestedBy: string;
  /** `lapsed`: the result was reported, or the issue withdrawn, before anyone decided */
  status: 'pending' | 'approved' | 'rejected' | 'lapsed';
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
}

/** A measure proposed for a person's decision (责任追究, 约谈 …); `causedBy` is the event that led to it. */
export interface Proposal {
  id: string;
  kind: AccountabilityMeasure;
  status: ProposalStatus;
  target: AccountabilityTarget;
  reason: string;
  causedBy: string | null;
  proposedAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  note: string | null;
}

export interface ReportedResult {
  summary: string;
  evidence: EvidenceRef[];
  reportedAt: string;
  reportedBy: string;
  /** the deadline in force when it was reported, and whether it came in time */
  deadline: string;
  onTime: boolean;
}

export interface DeadlineChange {
  deadline: string;
  deadlineVersion: number;
  because: 'assigned' | 'reassigned' | 'extension_approved' | 'reopened' | 'time_limit' | 'calendar';
  at: string;
}

export interface IssueState {
  id: string | null;
  /** `none` until registered */
  status: IssueStatus | 'none';
  source: IssueSource | null;
  category: string | null;
  title: string | null;
  description: string | null;
  location: string | null;
  reporter: Reporter | null;
  attachments: EvidenceRef[];
  origin: Record<string, unknown> | null;
  /** 问题, 意见建议 or 任务 ('problem' for issues registered before kinds existed) */
  kind: IssueKind;
  accused: Accused | null;
  reference: string | null;
  forwardedBy: ForwardedBy | null;
  backlog: boolean;
  /** the programme a task belongs to, and its phase (a battle, 攻坚战) */
  programmeId?: string | null;
  phase?: string | null;
  /** the inspection that found it */
  inspectionId?: string | null;
  priority: Priority;
  triageNote: string | null;
  registeredAt: string | null;
  leadUnitId: string | null;
  coUnitIds: string[];
  /** 责任单位: they report progress on their part and see the issue; the lead unit plans and reports the result */
  responsibleUnitIds: string[];
  responsiblePerson: Person | null;
  mode: AssignmentMode | null;
  instructions: string | null;
  assignedAt: string | null;
  /** 联合交办: the partner agencies of the assignment in force */
  partnerAgencies: string[];
  /** 交办会: the batch and meeting of the assignment in force, when it was made at one */
  assignmentBatch: AssignmentBatchRef | null;
  /** how it was closed (null while not closed): `rectified` (销号 after acceptance) or `on_spot` (立行立改) */
  resolution: Resolution | null;
  /** 立行立改: what was done on the spot */
  onSpot: { summary: string; evidence: EvidenceRef[]; at: string; by: string } | null;
  /** 改派: every move to another unit (or other terms) after the first assignment */
  reassignments: { previousLeadUnitId: string; leadUnitId: string; reason: string; at: string; by: string }[];
  /** 责令限期整改: the office's orders of a new time limit */
  timeLimitOrders: { deadline: string; deadlineVersion: number; reason: string; at: string; by: string }[];
  /** 回头看: reopenings of a closed issue by the office */
  reopenings: { reason: string; deadline: string; at: string; by: string }[];
  deadline: string | null;
  deadlineWorkingDays: number | null;
  /** where a working-day count starts (the assignment's time), so it can be counted again when the calendar changes */
  deadlineCountedFrom: string | null;
  /** the years the working-day count went through with no published schedule */
  deadlineProvisionalYears: number[];
  /** bumped by every deadline change: assignment, approved extension, reopening */
  deadlineVersion: number;
  deadlineHistory: DeadlineChange[];
  /** the latest plan (a revised plan replaces it; the history keeps them all) */
  plan: { measures: Measure[]; submittedAt: string; submittedBy: string } | null;
  progress: { text: string; percent: number | null; at: string; by: string; unitId: string }[];
  extensionRequests: ExtensionRequest[];
  /** every result reported, oldest first; the last is the one assessed */
  results: ReportedResult[];
  assessments: {
    verdict: Verdict;
    comment: string | null;
    at: string;
    by: string;
    method?: AssessmentMethod;
    panel?: string[];
  }[];
  /** 回访: what the reporter said, oldest first; the latest counts */
  reporterFeedback: { channel: FeedbackChannel; verdict: Verdict; note: string | null; at: string; by: string }[];
  findings: { kind: FindingKind; note: string; at: string; by: string }[];
  /** 0 = not escalated; 1 督办, 2 重点督办, 3 约谈, 4 问责 */
  escalationLevel: number;
  escalations: { level: number; fromLevel: number; reason: string; automatic: boolean; at: string; by: string }[];
  accountability: {
    measure: AccountabilityMeasure;
    target: AccountabilityTarget;
    reason: string;
    at: string;
    by: string;
  }[];
  lists: { list: ListKind; reason: string; at: string; by: string }[];
  proposals: Proposal[];
  reminders: { deadlineVersion: number; offset: string; at: string }[];
  /** 按月上报: the worker's monthly requests, and whether each was reminded */
  progressRequests: { month: string; dueBy: string; requestedAt: string; remindedAt: string | null }[];
  closedAt: string | null;
  closeNote: string | null;
  closedOnTime: boolean | null;
  withdrawnAt: string | null;
  withdrawReason: string | null;
  /** the time of the latest event */
  updatedAt: string | null;
}

export function initialIssueState(): IssueState {
  return {
    id: null,
    status: 'none',
    source: null,
    category: null,
    title: null,
    description: null,
    location: null,
    reporter: null,
    attachments: [],
    origin: null,
    kind: 'problem',
    accused: null,
    reference: null,
    forwardedBy: null,
    backlog: false,
    programmeId: null,
    phase: null,
    inspectionId: null,
    priority: 'normal',
    triageNote: null,
    registeredAt: null,
    leadUnitId: null,
    coUnitIds: [],
    responsibleUnitIds: [],
    responsiblePerson: null,
    mode: null,
    instructions: null,
    assignedAt: null,
    partnerAgencies: [],
    assignmentBatch: null,
    resolution: null,
    onSpot: null,
    reassignments: [],
    timeLimitOrders: [],
    reopenings: [],
    deadline: null,
    deadlineWorkingDays: null,
    deadlineCountedFrom: null,
    deadlineProvisionalYears: [],
    deadlineVersion: 0,
    deadlineHistory: [],
    plan: null,
    progress: [],
    extensionRequests: [],
    results: [],
    assessments: [],
    reporterFeedback: [],
    findings: [],
    escalationLevel: 0,
    escalations: [],
    accountability: [],
    lists: [],
    proposals: [],
    reminders: [],
    progressRequests: [],
    closedAt: null,
    closeNote: null,
    closedOnTime: null,
    withdrawnAt: null,
    withdrawReason: null,
    updatedAt: null,
  };
}

/** Applies one event. Never refuses: events are facts; what was decided is replayed as it was. */
export function evolveIssue(state: IssueState, event: IssueEvent): IssueState {
  const next = applyIssueEvent(state, event);
  if (next === state) return state;
  // every handler that changes something returns a new object of its own: stamping it spares a second copy per event
  next.updatedAt = event.data.at;
  return next;
}

function applyIssueEvent(state: IssueState, event: IssueEvent): IssueState {
  switch (event.type) {
    case 'IssueRegistered':
      return registered(event.data);
    case 'IssueTriaged':
      return triaged(state, event.data);
    case 'IssueAssigned':
      return assigned(state, event.data);
    case 'PlanSubmitted':
      return planSubmitted(state, event.data);
    case 'ProgressReported':
      return progressReported(state, event.data);
    case 'ExtensionRequested':
      return extensionRequested(state, event.data);
    case 'ExtensionApproved':
      return extensionApproved(state, event.data);
    case 'ExtensionRejected':
      return extensionRejected(state, event.data);
    case 'ExtensionRequestLapsed':
      return extensionRequestLapsed(state, event.data);
    case 'ResultReported':
      return resultReported(state, event.data);
    case 'ResultAssessed':
      return resultAssessed(state, event.data);
    case 'ReporterFeedbackRecorded':
      return reporterFeedbackRecorded(state, event.data);
    case 'ReporterErased':
      return reporterErased(state, event.data);
    case 'IssueReopened':
      return reopened(state, event.data);
    case 'TimeLimitOrdered':
      return timeLimitOrdered(state, event.data);
    case 'FindingRecorded':
      return findingRecorded(state, event.data);
    case 'IssueClosed':
      return closed(state, event.data);
    case 'IssueResolvedOnSpot':
      return resolvedOnSpot(state, event.data);
    case 'IssueWithdrawn':
      return { ...state, status: 'withdrawn', withdrawnAt: event.data.at, withdrawReason: event.data.reason };
    case 'IssueEscalated':
      return escalated(state, event.data);
    case 'AccountabilityRecorded':
      return accountabilityRecorded(state, event.data);
    case 'IssueListed':
      return listed(state, event.data);
    case 'AccountabilityProposed':
      return accountabilityProposed(state, event.data);
    case 'ProposalApproved':
      return proposalDecided(state, event.data, 'approved');
    case 'ProposalRejected':
      return proposalDecided(state, event.data, 'rejected');
    case 'ProgressRequested':
      return progressRequested(state, event.data);
    case 'ProgressReminderSent':
      return progressReminderSent(state, event.data);
    case 'ReminderSent':
      return reminderSent(state, event.data);
    case 'DeadlineRederived':
      return deadlineRederived(state, event.data);
    default:
      // an event type this version does not know (written by a newer one): keep the state
      return state;
  }
}

/** The data of the event of type `T`. */
type DataOf<T extends IssueEvent['type']> = Extract<IssueEvent, { type: T }>['data'];

function registered(e: DataOf<'IssueRegistered'>): IssueState {
  return {
    ...initialIssueState(),
    id: e.issueId,
    status: 'registered',
    source: e.source,
    category: e.category,
    title: e.title,
    description: e.description,
    location: e.location,
    reporter: e.reporter,
    attachments: e.attachments,
    origin: e.origin ?? null,
    kind: e.kind ?? 'problem',
    accused: e.accused ?? null,
    reference: e.reference ?? null,
    forwardedBy: e.forwardedBy ?? null,
    backlog: e.backlog ?? false,
    programmeId: e.programmeId ?? null,
    phase: e.phase ?? null,
    inspectionId: e.inspectionId ?? null,
    registeredAt: e.at,
  };
}

function triaged(state: IssueState, { category, priority, note }: DataOf<'IssueTriaged'>): IssueState {
  return { ...state, status: 'triaged', category, priority, triageNote: note };
}

function planSubmitted(state: IssueState, { measures, at, by }: DataOf<'PlanSubmitted'>): IssueState {
  return { ...state, status: 'in_progress', plan: { measures, submittedAt: at, submittedBy: by } };
}

function progressReported(state: IssueState, e: DataOf<'ProgressReported'>): IssueState {
  const { text, percent, at, by } = e;
  const report = { text, percent, at, by, unitId: e.reportingUnitId ?? e.leadUnitId };
  return { ...state, status: 'in_progress', progress: [...state.progress, report] };
}

function extensionRejected(state: IssueState, { requestId, at, by, note }: DataOf<'ExtensionRejected'>): IssueState {
  return updateRequest(state, requestId, { status: 'rejected', decidedAt: at, decidedBy: by, note });
}

function extensionRequestLapsed(state: IssueState, { requestId, at }: DataOf<'ExtensionRequestLapsed'>): IssueState {
  return updateRequest(state, requestId, { status: 'lapsed', decidedAt: at, decidedBy: null, note: null });
}

function reporterFeedbackRecorded(state: IssueState, e: DataOf<'ReporterFeedbackRecorded'>): IssueState {
  const feedback = { channel: e.channel, verdict: e.verdict, note: e.note, at: e.at, by: e.by };
  return { ...state, reporterFeedback: [...state.reporterFeedback, feedback] };
}

/** PIPL erasure: the sealed fields leave the state; only that there was a (confidential) reporter remains. */
function reporterErased(state: IssueState, e: DataOf<'ReporterErased'>): IssueState {
  const confidential = state.reporter?.confidential === true;
  return {
    ...state,
    reporter: { reporterId: e.reporterId, keyId: e.keyId, confidential, erased: true, erasedAt: e.at },
  };
}

function findingRecorded(state: IssueState, { kind, note, at, by }: DataOf<'FindingRecorded'>): IssueState {
  return { ...state, findings: [...state.findings, { kind, note, at, by }] };
}

function closed(state: IssueState, { at, note, onTime }: DataOf<'IssueClosed'>): IssueState {
  return { ...state, status: 'closed', closedAt: at, closeNote: note, closedOnTime: onTime, resolution: 'rectified' };
}

/** 立行立改: closed with no deadline, so neither on time nor late (`closedOnTime` stays null). */
function resolvedOnSpot(state: IssueState, { summary, evidence, at, by }: DataOf<'IssueResolvedOnSpot'>): IssueState {
  return { ...state, status: 'closed', closedAt: at, resolution: 'on_spot', onSpot: { summary, evidence, at, by } };
}

function escalated(state: IssueState, e: DataOf<'IssueEscalated'>): IssueState {
  const { level, fromLevel, reason, automatic, at, by } = e;
  return {
    ...state,
    escalationLevel: level,
    escalations: [...state.escalations, { level, fromLevel, reason, automatic, at, by }],
  };
}

function accountabilityRecorded(state: IssueState, e: DataOf<'AccountabilityRecorded'>): IssueState {
  const { measure, target, reason, at, by } = e;
  return { ...state, accountability: [...state.accountability, { measure, target, reason, at, by }] };
}

function accountabilityProposed(state: IssueState, e: DataOf<'AccountabilityProposed'>): IssueState {
  const { proposalId: id, kind, target, reason, causedBy, at } = e;
  const proposal: Proposal = {
    ...{ id, kind, status: 'pending', target, reason, causedBy, proposedAt: at },
    ...{ decidedAt: null, decidedBy: null, note: null },
  };
  return { ...state, proposals: [...state.proposals, proposal] };
}

function proposalDecided(
  state: IssueState,
  { proposalId, at, by, note }: DataOf<'ProposalApproved'>,
  status: 'approved' | 'rejected',
): IssueState {
  const proposals = state.proposals.map((p) =>
    p.id === proposalId ? { ...p, status, decidedAt: at, decidedBy: by, note } : p,
  );
  return { ...state, proposals };
}

function listed(state: IssueState, { list, reason, at, by }: DataOf<'IssueListed'>): IssueState {
  return { ...state, lists: [...state.lists, { list, reason, at, by }] };
}

function progressRequested(state: IssueState, { month, dueBy, at }: DataOf<'ProgressRequested'>): IssueState {
  const request = { month, dueBy, requestedAt: at, remindedAt: null };
  return { ...state, progressRequests: [...state.progressRequests, request] };
}

function progressReminderSent(state: IssueState, { month, at }: DataOf<'ProgressReminderSent'>): IssueState {
  const progressRequests = state.progressRequests.map((r) => (r.month === month ? { ...r, remindedAt: at } : r));
  return { ...state, progressRequests };
}

/** A new deadline that may have been counted in working days (a time-limit order, a reopening after closing). */
function countedDeadline(
  state: IssueState,
  e: {
    deadline: string;
    deadlineVersion: number;
    at: string;
    deadlineWorkingDays?: number | null;
    provisionalYears?: number[];
  },
  because: DeadlineChange['because'],
): IssueState {
  const workingDays = e.deadlineWorkingDays ?? null;
  return {
    ...movedDeadline(state, e, because),
    deadlineWorkingDays: workingDays,
    deadlineCountedFrom: workingDays === null ? null : e.at,
    deadlineProvisionalYears: e.provisionalYears ?? [],
  };
}

function reopened(state: IssueState, e: DataOf<'IssueReopened'>): IssueState {
  const after = { ...countedDeadline(state, e, 'reopened'), status: 'reopened' as const };
  if (e.fromStatus !== 'closed') return after;
  const reopening = { reason: e.reason ?? '', deadline: e.deadline, at: e.at, by: e.by };
  return { ...after, resolution: null, reopenings: [...state.reopenings, reopening] };
}

function timeLimitOrdered(state: IssueState, e: DataOf<'TimeLimitOrdered'>): IssueState {
  const order = { deadline: e.deadline, deadlineVersion: e.deadlineVersion, reason: e.reason, at: e.at, by: e.by };
  return { ...countedDeadline(state, e, 'time_limit'), timeLimitOrders: [...state.timeLimitOrders, order] };
}

/** The same working-day count from the same start, against the changed calendar. */
function deadlineRederived(state: IssueState, e: DataOf<'DeadlineRederived'>): IssueState {
  const { deadlineWorkingDays, deadlineCountedFrom } = state;
  return {
    ...movedDeadline(state, e, 'calendar'),
    deadlineWorkingDays,
    deadlineCountedFrom,
    deadlineProvisionalYears: e.provisionalYears,
  };
}

function reminderSent(state: IssueState, { deadlineVersion, offset, at }: DataOf<'ReminderSent'>): IssueState {
  return { ...state, reminders: [...state.reminders, { deadlineVersion, offset, at }] };
}

function assigned(state: IssueState, e: DataOf<'IssueAssigned'>): IssueState {
  const { previousLeadUnitId, leadUnitId, reason, at, by } = e;
  return {
    ...movedDeadline(state, e, previousLeadUnitId ? 'reassigned' : 'assigned'),
    status: 'assigned',
    leadUnitId,
    coUnitIds: e.coUnitIds,
    responsibleUnitIds: e.responsibleUnitIds ?? [],
    responsiblePerson: e.responsiblePerson,
    mode: e.mode,
    instructions: e.instructions,
    assignedAt: at,
    partnerAgencies: e.partnerAgencies ?? [],
    assignmentBatch: e.batch ?? null,
    deadlineWorkingDays: e.deadlineWorkingDays,
    deadlineCountedFrom: e.deadlineWorkingDays === null ? null : at,
    deadlineProvisionalYears: e.provisionalYears ?? [],
    reassignments: previousLeadUnitId
      ? [...state.reassignments, { previousLeadUnitId, leadUnitId, reason: reason ?? '', at, by }]
      : state.reassignments,
  };
}

/** A new deadline version: the deadline in force, its history, and no working-day count unless the event sets one. */
function movedDeadline(
  state: IssueState,
  e: { deadline: string; deadlineVersion: number; at: string },
  because: DeadlineChange['because'],
): IssueState {
  return {
    ...state,
    deadline: e.deadline,
    deadlineWorkingDays: null,
    deadlineCountedFrom: null,
    deadlineProvisionalYears: [],
    deadlineVersion: e.deadlineVersion,
    deadlineHistory: [
      ...state.deadlineHistory,
      { deadline: e.deadline, deadlineVersion: e.deadlineVersion, because, at: e.at },
    ],
  };
}

function extensionRequested(state: IssueState, e: DataOf<'ExtensionRequested'>): IssueState {
  const request: ExtensionRequest = {
    requestId: e.requestId,
    newDeadline: e.newDeadline,
    reason: e.reason,
    requestedAt: e.at,
    requestedBy: e.by,
    status: 'pending',
    decidedAt: null,
    decidedBy: null,
    note: null,
  };
  return { ...state, extensionRequests: [...state.extensionRequests, request] };
}

function extensionApproved(state: IssueState, e: DataOf<'ExtensionApproved'>): IssueState {
  const decided = updateRequest(state, e.requestId, {
    status: 'approved',
    decidedAt: e.at,
    decidedBy: e.by,
    note: e.note,
  });
  return movedDeadline(decided, e, 'extension_approved');
}

function resultReported(state: IssueState, e: DataOf<'ResultReported'>): IssueState {
  const result: ReportedResult = {
    summary: e.summary,
    evidence: e.evidence,
    reportedAt: e.at,
    reportedBy: e.by,
    deadline: e.deadline,
    onTime: e.onTime,
  };
  return { ...state, status: 'result_reported', results: [...state.results, result] };
}

function resultAssessed(state: IssueState, e: DataOf<'ResultAssessed'>): IssueState {
  return {
    ...state,
    // an unsatisfied verdict is followed by IssueReopened, which moves the status
    status: e.verdict === 'unsatisfied' ? state.status : 'accepted',
    assessments: [...state.assessments, assessmentOf(e)],
  };
}

/** An assessment as recorded; `method` and `panel` only when the event has them. */
function assessmentOf(e: DataOf<'ResultAssessed'>): IssueState['assessments'][number] {
  const { verdict, comment, at, by, method, panel } = e;
  return {
    verdict,
    comment,
    at,
    by,
    ...(method === undefined ? {} : { method }),
    ...(panel === undefined ? {} : { panel }),
  };
}

function updateRequest(state: IssueState, requestId: string, change: Partial<ExtensionRequest>): IssueState {
  return {
    ...state,
    extensionRequests: state.extensionRequests.map((r) => (r.requestId === requestId ? { ...r, ...change } : r)),
  };
}

/** The latest reported result, if any. */
export const latestResult = (state: IssueState): ReportedResult | null =>
  state.results[state.results.length - 1] ?? null;

export const pendingExtensionRequest = (state: IssueState): ExtensionRequest | null =>
  state.extensionRequests.find((r) => r.status === 'pending') ?? null;

/**
 * Overdue (DESIGN.md §2.1): the deadline in force has passed and no result is pending assessment —
 * i.e. the issue is open (assigned, in progress, or reopened after an unsatisfied assessment).
 */
export function isOverdue(state: IssueState, at: string): boolean {
  return isOpenStatus(state.status) && state.deadline !== null && Date.parse(at) > Date.parse(state.deadline);
}

/**
 * What `GET /issues/:id` answers (DESIGN.md §7), derived from state. With `asOf` (an instant; the
 * caller's clock) it also says whether the issue is overdue then; without it `overdue` is null.
 */
export function issueView(state: IssueState, asOf?: string) {
  const result = latestResult(state);
  return {
    id: state.id,
    status: state.status,
    source: state.source,
    category: state.category,
    title: state.title,
    description: state.description,
    location: state.location,
    reporter: state.reporter,
    attachments: state.attachments,
    origin: state.origin,
    kind: state.kind,
    accused: state.accused,
    reference: state.reference,
    forwardedBy: state.forwardedBy,
    backlog: state.backlog,
    programmeId: state.programmeId ?? null,
    phase: state.phase ?? null,
    inspectionId: state.inspectionId ?? null,
    priority: state.priority,
    triageNote: state.triageNote,
    registeredAt: state.registeredAt,
    leadUnitId: state.leadUnitId,
    coUnitIds: state.coUnitIds,
    responsibleUnitIds: state.responsibleUnitIds,
    responsiblePerson: state.responsiblePerson,
    mode: state.mode,
    instructions: state.instructions,
    assignedAt: state.assignedAt,
    partnerAgencies: state.partnerAgencies ?? [],
    assignmentBatch: state.assignmentBatch ?? null,
    resolution: state.resolution ?? null,
    onSpot: state.onSpot ?? null,
    reassignments: state.reassignments,
    timeLimitOrders: state.timeLimitOrders,
    reopenings: state.reopenings,
    deadline: state.deadline,
    deadlineWorkingDays: state.deadlineWorkingDays,
    deadlineProvisionalYears: state.deadlineProvisionalYears,
    deadlineVersion: state.deadlineVersion,
    deadlineHistory: state.deadlineHistory,
    overdue: asOf === undefined ? null : isOverdue(state, asOf),
    escalationLevel: state.escalationLevel,
    escalations: state.escalations,
    plan: state.plan,
    progress: state.progress,
    extensionRequests: state.extensionRequests,
    result,
    results: state.results,
    resultReportedAt: result?.reportedAt ?? null,
    assessments: state.assessments,
    reporterFeedback: state.reporterFeedback,
    findings: state.findings,
    accountability: state.accountability,
    lists: state.lists,
    proposals: state.proposals,
    reminders: state.reminders,
    progressRequests: state.progressRequests,
    closedAt: state.closedAt,
    closeNote: state.closeNote,
    closedOnTime: state.closedOnTime,
    withdrawnAt: state.withdrawnAt,
    withdrawReason: state.withdrawReason,
    updatedAt: state.updatedAt,
  };
}

export type IssueView = ReturnType<typeof issueView>;
