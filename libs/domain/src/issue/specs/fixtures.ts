import type { CommandActor } from '../../decider';
import type { IssueCommand, IssueCommandType } from '../issue.commands';
import type * as E from '../issue.events';
import type { IssueEvent } from '../issue.events';
import type { IssueStatus, Verdict } from '../issue.vocabulary';

/**
 * One issue's story in events, to build `given` from. Times are fixed hours after T0: specs never
 * read the clock. The deadline is 10 days after T0; the story's events happen in its first 8 hours.
 */
export const ISSUE = '11111111-1111-4111-8111-111111111111';
export const UNIT = '22222222-2222-4222-8222-222222222222';
export const CO_UNIT = '33333333-3333-4333-8333-333333333333';
export const OTHER_UNIT = '66666666-6666-4666-8666-666666666666';
export const REQUEST = '44444444-4444-4444-8444-444444444444';
export const OTHER_REQUEST = '55555555-5555-4555-8555-555555555555';
export const T0 = '2026-03-02T01:00:00.000Z';
export const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
export const DEADLINE = at(24 * 10);
export const EXTENDED_DEADLINE = at(24 * 20);
export const REOPENED_DEADLINE = at(24 * 30);

export const registrar: CommandActor = { id: 'reg-1', role: 'registrar' };
export const officer: CommandActor = { id: 'off-1', role: 'unit_officer', unitId: UNIT };
export const assessor: CommandActor = { id: 'ass-1', role: 'assessor' };
export const worker: CommandActor = { id: 'system:deadline-worker', role: 'system' };

const defaultActor = (type: IssueCommandType): CommandActor => {
  if (['SubmitPlan', 'ReportProgress', 'RequestExtension', 'ReportResult'].includes(type)) return officer;
  if (type === 'AssessResult') return assessor;
  if (['SendReminder', 'RequestProgress', 'RemindProgress', 'RederiveDeadline'].includes(type)) return worker;
  return registrar;
};

type DataOf<T extends IssueCommandType> = Omit<Extract<IssueCommand, { type: T }>['data'], 'issueId'>;

/** A command on ISSUE at `hours` after T0, by the actor who usually sends it. */
export const command = <T extends IssueCommandType>(
  type: T,
  data: DataOf<T>,
  hours = 9,
  actor: CommandActor = defaultActor(type),
) =>
  ({ type, data: { issueId: ISSUE, ...data }, meta: { at: at(hours), actor } }) as unknown as Extract<
    IssueCommand,
    { type: T }
  >;

/** The common part of every event's data. */
export const base = (hours: number, by = registrar.id) => ({ issueId: ISSUE, at: at(hours), by });

export const registered: E.IssueRegistered = {
  type: 'IssueRegistered',
  data: {
    ...base(0),
    source: 'hotline',
    category: '作风建设',
    title: '窗口推诿扯皮',
    description: '群众多次往返未办结',
    location: null,
    reporter: { name: '李四', confidential: true },
    attachments: [],
  },
};
export const triaged: E.IssueTriaged = {
  type: 'IssueTriaged',
  data: { ...base(0.5), category: '窗口服务', priority: 'high', note: null },
};
export const assigned: E.IssueAssigned = {
  type: 'IssueAssigned',
  data: {
    ...base(1),
    leadUnitId: UNIT,
    coUnitIds: [CO_UNIT],
    responsiblePerson: { name: '王五' },
    deadline: DEADLINE,
    deadlineWorkingDays: null,
    deadlineVersion: 1,
    instructions: null,
    mode: 'counterpart',
    previousLeadUnitId: null,
    reason: null,
  },
};
export const planned: E.PlanSubmitted = {
  type: 'PlanSubmitted',
  data: {
    ...base(2, officer.id),
    measures: [{ description: '开展窗口作风培训', owner: '王五', dueDate: '2026-03-06' }],
    leadUnitId: UNIT,
  },
};
export const progressed: E.ProgressReported = {
  type: 'ProgressReported',
  data: { ...base(3, officer.id), text: '已完成培训', percent: 50, leadUnitId: UNIT },
};
export const extensionRequested: E.ExtensionRequested = {
  type: 'ExtensionRequested',
  data: {
    ...base(4, officer.id),
    requestId: REQUEST,
    newDeadline: EXTENDED_DEADLINE,
    reason: '涉及工程招标',
    currentDeadline: DEADLINE,
    leadUnitId: UNIT,
  },
};
export const extensionApproved: E.ExtensionApproved = {
  type: 'ExtensionApproved',
  data: { ...base(5), requestId: REQUEST, deadline: EXTENDED_DEADLINE, deadlineVersion: 2, note: null },
};
export const extensionRejected: E.ExtensionRejected = {
  type: 'ExtensionRejected',
  data: { ...base(5), requestId: REQUEST, note: '理由不充分' },
};
export const resultReported: E.ResultReported = {
  type: 'ResultReported',
  data: {
    ...base(6, officer.id),
    summary: '已整改到位',
    evidence: [],
    leadUnitId: UNIT,
    deadline: DEADLINE,
    deadlineVersion: 1,
    onTime: true,
  },
};
export const assessed = (verdict: Verdict, hours = 7): E.ResultAssessed => ({
  type: 'ResultAssessed',
  data: {
    ...base(hours, assessor.id),
    verdict,
    comment: verdict === 'unsatisfied' ? '群众仍不满意' : null,
    leadUnitId: UNIT,
  },
});
export const reopened: E.IssueReopened = {
  type: 'IssueReopened',
  data: { ...base(7, assessor.id), deadline: REOPENED_DEADLINE, deadlineVersion: 2, leadUnitId: UNIT },
};
export const closed: E.IssueClosed = {
  type: 'IssueClosed',
  data: { ...base(8), note: null, deadline: DEADLINE, onTime: true, verdict: 'satisfied', leadUnitId: UNIT },
};
export const withdrawn: E.IssueWithdrawn = {
  type: 'IssueWithdrawn',
  data: { ...base(1), reason: '重复件', fromStatus: 'registered' },
};
export const escalated = (level: 1 | 2 | 3 | 4, fromLevel = 0, hours = 8): E.IssueEscalated => ({
  type: 'IssueEscalated',
  data: {
    ...base(hours),
    level,
    fromLevel,
    reason: '推进缓慢',
    automatic: false,
    deadline: DEADLINE,
    deadlineVersion: 1,
    leadUnitId: UNIT,
  },
});
export const listed = (list: 'red' | 'black', hours = 8): E.IssueListed => ({
  type: 'IssueListed',
  data: { ...base(hours), list, reason: '典型', leadUnitId: UNIT },
});

type StatusOrNone = IssueStatus | 'none';

/** A history that puts the issue in each status. */
export const IN: Record<StatusOrNone, IssueEvent[]> = {
  none: [],
  registered: [registered],
  triaged: [registered, triaged],
  assigned: [registered, assigned],
  in_progress: [registered, assigned, planned],
  result_reported: [registered, assigned, planned, resultReported],
  accepted: [registered, assigned, planned, resultReported, assessed('satisfied')],
  reopened: [registered, assigned, planned, resultReported, assessed('unsatisfied'), reopened],
  closed: [registered, assigned, planned, resultReported, assessed('satisfied'), closed],
  withdrawn: [registered, withdrawn],
};

/** in_progress again after an unsatisfied assessment: a result was reported once */
export const IN_PROGRESS_AFTER_REOPENING: IssueEvent[] = [
  ...IN.reopened,
  { type: 'ProgressReported', data: { ...base(7.5, officer.id), text: '二次整改中', percent: null, leadUnitId: UNIT } },
];

export const ALL_STATUSES = Object.keys(IN).filter((s) => s !== 'none') as IssueStatus[];

/** Every existing status but the allowed ones: the ones that must refuse. */
export const statusesExcept = (...allowed: StatusOrNone[]): IssueStatus[] =>
  ALL_STATUSES.filter((s) => !allowed.includes(s));

/** `cannot <action> an issue that is <status>` */
export const refusal = (action: string, status: string) => new RegExp(`^cannot ${action} an issue that is ${status}; `);

/** The same event with other data (e.g. another time): `changed(resultReported, {at: at(8)})`. */
export const changed = <T extends IssueEvent>(event: T, data: Partial<T['data']>): T => ({
  ...event,
  data: { ...event.data, ...data },
});

export const lapsed = (
  hours: number,
  because: 'result_reported' | 'withdrawn',
  by = officer.id,
): E.ExtensionRequestLapsed => ({
  type: 'ExtensionRequestLapsed',
  data: { ...base(hours, by), requestId: REQUEST, because },
});

/** The worker's monthly request for a progress report, at `hours`, due by `dueBy`. */
export const progressRequested = (hours: number, dueBy: string, month = '2026-03'): E.ProgressRequested => ({
  type: 'ProgressRequested',
  data: { ...base(hours, worker.id), month, dueBy, leadUnitId: UNIT, coUnitIds: [CO_UNIT] },
});

/** The consequences process proposed a summons of the lead unit (`proposalId`) at `hours`, caused by `causedBy`. */
export const proposed = (proposalId: string, hours: number, causedBy = 'evt-1'): E.AccountabilityProposed => ({
  type: 'AccountabilityProposed',
  data: {
    ...base(hours, 'system:consequences'),
    proposalId,
    kind: 'summons',
    target: { kind: 'unit', unitId: UNIT },
    reason: '弄虚作假',
    causedBy,
    leadUnitId: UNIT,
  },
});
