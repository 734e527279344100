import type { IssueCommand, IssueEvent } from '../issue.types';

/** A small story of one issue, in events, to build `given` from. Times are fixed: specs never read the clock. */
export const ISSUE = '11111111-1111-4111-8111-111111111111';
export const UNIT = '22222222-2222-4222-8222-222222222222';
export const CO_UNIT = '33333333-3333-4333-8333-333333333333';
export const T0 = '2026-03-02T01:00:00.000Z';
export const at = (hours: number) => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
export const DEADLINE = at(24 * 10);

const registrar = { id: 'reg-1', role: 'registrar' };
const officer = { id: 'off-1', role: 'unit_officer', unitId: UNIT };
const assessor = { id: 'ass-1', role: 'assessor' };
const worker = { id: 'system:worker', role: 'system' };

export const command = <T extends IssueCommand['type']>(
  type: T,
  data: Omit<Extract<IssueCommand, { type: T }>['data'], 'issueId'>,
  hours = 1,
  actor: { id: string; role: string } = ['SubmitPlan', 'ReportProgress', 'RequestExtension', 'ReportResult'].includes(type)
    ? officer
    : type === 'AssessResult'
      ? assessor
      : type === 'SendReminder'
        ? worker
        : registrar,
) => ({ type, data: { issueId: ISSUE, ...data }, meta: { at: at(hours), actor } }) as unknown as Extract<IssueCommand, { type: T }>;

const base = (hours: number, by = 'reg-1') => ({ issueId: ISSUE, at: at(hours), by });

export const registered: IssueEvent = {
  type: 'IssueRegistered',
  data: { ...base(0), source: 'hotline', category: '作风建设', title: '推诿扯皮', description: '多次往返未办结', location: null, reporter: { name: '李四', confidential: true }, attachments: [] },
};
export const triaged: IssueEvent = { type: 'IssueTriaged', data: { ...base(0.5), category: '窗口服务', priority: 'high', note: null } };
export const assigned: IssueEvent = {
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
  },
};
export const planned: IssueEvent = { type: 'PlanSubmitted', data: { ...base(2, 'off-1'), measures: [{ description: '培训', owner: '王五', dueDate: at(48) }] } };
export const progressed: IssueEvent = { type: 'ProgressReported', data: { ...base(3, 'off-1'), text: '已培训', percent: 50 } };
export const REQUEST = '44444444-4444-4444-8444-444444444444';
export const extensionRequested: IssueEvent = { type: 'ExtensionRequested', data: { ...base(4, 'off-1'), requestId: REQUEST, newDeadline: at(24 * 20), reason: '招标' } };
export const extensionApproved: IssueEvent = { type: 'ExtensionApproved', data: { ...base(5), requestId: REQUEST, deadline: at(24 * 20), deadlineVersion: 2, note: null } };
export const resultReported: IssueEvent = {
  type: 'ResultReported',
  data: { ...base(6, 'off-1'), summary: '已整改', evidence: [], leadUnitId: UNIT, deadline: DEADLINE, onTime: true },
};
export const assessedSatisfied: IssueEvent = { type: 'ResultAssessed', data: { ...base(7, 'ass-1'), verdict: 'satisfied', comment: null, leadUnitId: UNIT } };
export const assessedUnsatisfied: IssueEvent = { type: 'ResultAssessed', data: { ...base(7, 'ass-1'), verdict: 'unsatisfied', comment: '不满意', leadUnitId: UNIT } };
export const reopened: IssueEvent = { type: 'IssueReopened', data: { ...base(7, 'ass-1'), deadline: at(24 * 30), deadlineVersion: 2 } };
export const closed: IssueEvent = { type: 'IssueClosed', data: { ...base(8), note: null, deadline: DEADLINE, onTime: true } };
export const withdrawn: IssueEvent = { type: 'IssueWithdrawn', data: { ...base(1), reason: '重复件', fromStatus: 'registered' } };

/** The event histories that put an issue in each status. */
export const IN: Record<string, IssueEvent[]> = {
  none: [],
  registered: [registered],
  triaged: [registered, triaged],
  assigned: [registered, assigned],
  in_progress: [registered, assigned, planned],
  result_reported: [registered, assigned, planned, resultReported],
  accepted: [registered, assigned, planned, resultReported, assessedSatisfied],
  reopened: [registered, assigned, planned, resultReported, assessedUnsatisfied, reopened],
  closed: [registered, assigned, planned, resultReported, assessedSatisfied, closed],
  withdrawn: [registered, withdrawn],
};

/** every status but these */
export const statusesExcept = (...allowed: string[]) => Object.keys(IN).filter((s) => !allowed.includes(s));
