import type {
  AccountabilityMeasure,
  AccountabilityTarget,
  AssignmentMode,
  FindingKind,
  IssueEvent,
  IssueSource,
  IssueStatus,
  ListKind,
  Measure,
  Person,
  Priority,
  Reporter,
  Verdict,
} from './issue.types';

export interface ExtensionRequest {
  requestId: string;
  newDeadline: string;
  reason: string;
  requestedAt: string;
  requestedBy: string;
  status: 'pending' | 'approved' | 'rejected';
  decidedAt: string | null;
  note: string | null;
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
  attachments: string[];
  origin: Record<string, unknown> | null;
  priority: Priority;
  registeredAt: string | null;
  leadUnitId: string | null;
  coUnitIds: string[];
  responsiblePerson: Person | null;
  mode: AssignmentMode | null;
  instructions: string | null;
  assignedAt: string | null;
  deadline: string | null;
  deadlineWorkingDays: number | null;
  /** bumped by every deadline change: assignment, approved extension, reopening */
  deadlineVersion: number;
  plan: { measures: Measure[]; submittedAt: string } | null;
  progress: { text: string; percent: number | null; at: string; by: string }[];
  extensionRequests: ExtensionRequest[];
  result: { summary: string; evidence: string[]; reportedAt: string; onTime: boolean } | null;
  /** the first time a result was reported (a withdrawal is refused after it) */
  firstResultReportedAt: string | null;
  assessments: { verdict: Verdict; comment: string | null; at: string; by: string }[];
  findings: { kind: FindingKind; note: string; at: string; by: string }[];
  escalationLevel: number;
  escalations: { level: number; reason: string; automatic: boolean; at: string; by: string }[];
  accountability: { measure: AccountabilityMeasure; target: AccountabilityTarget; reason: string; at: string; by: string }[];
  lists: { list: ListKind; reason: string; at: string; by: string }[];
  /** `${deadlineVersion}/${offset}` of every reminder sent */
  reminders: string[];
  closedAt: string | null;
  closedOnTime: boolean | null;
  withdrawnAt: string | null;
  withdrawReason: string | null;
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
    priority: 'normal',
    registeredAt: null,
    leadUnitId: null,
    coUnitIds: [],
    responsiblePerson: null,
    mode: null,
    instructions: null,
    assignedAt: null,
    deadline: null,
    deadlineWorkingDays: null,
    deadlineVersion: 0,
    plan: null,
    progress: [],
    extensionRequests: [],
    result: null,
    firstResultReportedAt: null,
    assessments: [],
    findings: [],
    escalationLevel: 0,
    escalations: [],
    accountability: [],
    lists: [],
    reminders: [],
    closedAt: null,
    closedOnTime: null,
    withdrawnAt: null,
    withdrawReason: null,
  };
}

export function evolveIssue(state: IssueState, event: IssueEvent): IssueState {
  const d = event.data;
  switch (event.type) {
    case 'IssueRegistered': {
      const e = event.data;
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
        registeredAt: e.at,
      };
    }
    case 'IssueTriaged':
      return { ...state, status: 'triaged', category: event.data.category, priority: event.data.priority };
    case 'IssueAssigned': {
      const e = event.data;
      return {
        ...state,
        status: 'assigned',
        leadUnitId: e.leadUnitId,
        coUnitIds: e.coUnitIds,
        responsiblePerson: e.responsiblePerson,
        mode: e.mode,
        instructions: e.instructions,
        assignedAt: e.at,
        deadline: e.deadline,
        deadlineWorkingDays: e.deadlineWorkingDays,
        deadlineVersion: e.deadlineVersion,
      };
    }
    case 'PlanSubmitted':
      return { ...state, status: 'in_progress', plan: { measures: event.data.measures, submittedAt: d.at } };
    case 'ProgressReported':
      return { ...state, status: 'in_progress', progress: [...state.progress, { text: event.data.text, percent: event.data.percent, at: d.at, by: d.by }] };
    case 'ExtensionRequested':
      return {
        ...state,
        extensionRequests: [
          ...state.extensionRequests,
          { requestId: event.data.requestId, newDeadline: event.data.newDeadline, reason: event.data.reason, requestedAt: d.at, requestedBy: d.by, status: 'pending', decidedAt: null, note: null },
        ],
      };
    case 'ExtensionApproved':
      return {
        ...state,
        deadline: event.data.deadline,
        deadlineVersion: event.data.deadlineVersion,
        extensionRequests: state.extensionRequests.map((r) => (r.requestId === event.data.requestId ? { ...r, status: 'approved', decidedAt: d.at, note: event.data.note } : r)),
      };
    case 'ExtensionRejected':
      return {
        ...state,
        extensionRequests: state.extensionRequests.map((r) => (r.requestId === event.data.requestId ? { ...r, status: 'rejected', decidedAt: d.at, note: event.data.note } : r)),
      };
    case 'ResultReported':
      return {
        ...state,
        status: 'result_reported',
        result: { summary: event.data.summary, evidence: event.data.evidence, reportedAt: d.at, onTime: event.data.onTime },
        firstResultReportedAt: state.firstResultReportedAt ?? d.at,
      };
    case 'ResultAssessed':
      return {
        ...state,
        status: event.data.verdict === 'unsatisfied' ? state.status : 'accepted',
        assessments: [...state.assessments, { verdict: event.data.verdict, comment: event.data.comment, at: d.at, by: d.by }],
      };
    case 'IssueReopened':
      return { ...state, status: 'reopened', deadline: event.data.deadline, deadlineVersion: event.data.deadlineVersion };
    case 'FindingRecorded':
      return { ...state, findings: [...state.findings, { kind: event.data.kind, note: event.data.note, at: d.at, by: d.by }] };
    case 'IssueClosed':
      return { ...state, status: 'closed', closedAt: d.at, closedOnTime: event.data.onTime };
    case 'IssueWithdrawn':
      return { ...state, status: 'withdrawn', withdrawnAt: d.at, withdrawReason: event.data.reason };
    case 'IssueEscalated':
      return {
        ...state,
        escalationLevel: event.data.level,
        escalations: [...state.escalations, { level: event.data.level, reason: event.data.reason, automatic: event.data.automatic, at: d.at, by: d.by }],
      };
    case 'AccountabilityRecorded':
      return { ...state, accountability: [...state.accountability, { measure: event.data.measure, target: event.data.target, reason: event.data.reason, at: d.at, by: d.by }] };
    case 'IssueListed':
      return { ...state, lists: [...state.lists, { list: event.data.list, reason: event.data.reason, at: d.at, by: d.by }] };
    case 'ReminderSent':
      return { ...state, reminders: [...state.reminders, `${event.data.deadlineVersion}/${event.data.offset}`] };
    default:
      return state;
  }
}

/** Open: a unit is working on it and its deadline runs. */
export const OPEN_STATUSES: readonly string[] = ['assigned', 'in_progress', 'reopened'];

/** What GET /issues/:id answers (DESIGN.md §7), derived from state. */
export function issueView(state: IssueState) {
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
    priority: state.priority,
    registeredAt: state.registeredAt,
    leadUnitId: state.leadUnitId,
    coUnitIds: state.coUnitIds,
    responsiblePerson: state.responsiblePerson,
    mode: state.mode,
    instructions: state.instructions,
    assignedAt: state.assignedAt,
    deadline: state.deadline,
    deadlineWorkingDays: state.deadlineWorkingDays,
    deadlineVersion: state.deadlineVersion,
    escalationLevel: state.escalationLevel,
    escalations: state.escalations,
    plan: state.plan,
    progress: state.progress,
    extensionRequests: state.extensionRequests,
    result: state.result,
    assessments: state.assessments,
    findings: state.findings,
    accountability: state.accountability,
    lists: state.lists,
    reminders: state.reminders,
    closedAt: state.closedAt,
    withdrawnAt: state.withdrawnAt,
    withdrawReason: state.withdrawReason,
  };
}
