import type { IssueEvent } from '../../issue';

/** One issue's story, in events at fixed hours after T0 (specs never read the clock), for the deadline specs. */
export const ISSUE = '11111111-1111-4111-8111-111111111111';
export const UNIT = '22222222-2222-4222-8222-222222222222';
export const OTHER_UNIT = '66666666-6666-4666-8666-666666666666';
const T0 = Date.parse('2026-03-02T01:00:00.000Z');
export const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const base = (hours: number) => ({ issueId: ISSUE, at: at(hours), by: 'reg-1' });
export const DEADLINE = at(240);
export const EXTENDED = at(480);
export const REOPENED = at(720);

export const registered: IssueEvent = {
  type: 'IssueRegistered',
  data: {
    ...base(0),
    source: 'hotline',
    category: '作风建设',
    title: '窗口推诿扯皮',
    description: '群众多次往返未办结',
    location: null,
    reporter: null,
    attachments: [],
  },
};
export const assigned = (hours = 1, leadUnitId = UNIT, deadlineVersion = 1, previousLeadUnitId: string | null = null) =>
  ({
    type: 'IssueAssigned',
    data: {
      ...base(hours),
      leadUnitId,
      coUnitIds: [],
      responsiblePerson: { name: '王五' },
      deadline: DEADLINE,
      deadlineWorkingDays: null,
      deadlineVersion,
      instructions: null,
      mode: 'counterpart',
      previousLeadUnitId,
      reason: previousLeadUnitId ? '职责调整' : null,
    },
  }) satisfies IssueEvent;
export const planned: IssueEvent = {
  type: 'PlanSubmitted',
  data: { ...base(2), measures: [{ description: '培训', owner: '王五', dueDate: '2026-03-06' }], leadUnitId: UNIT },
};
export const reminded = (deadlineVersion: number, offset: string): IssueEvent => ({
  type: 'ReminderSent',
  data: { ...base(3), deadlineVersion, offset, deadline: DEADLINE, leadUnitId: UNIT, coUnitIds: [] },
});
export const extended: IssueEvent = {
  type: 'ExtensionApproved',
  data: { ...base(5), requestId: 'r1', deadline: EXTENDED, deadlineVersion: 2, note: null },
};
export const escalated: IssueEvent = {
  type: 'IssueEscalated',
  data: {
    ...base(250),
    level: 2,
    fromLevel: 0,
    reason: '逾期',
    automatic: true,
    deadline: DEADLINE,
    deadlineVersion: 1,
    leadUnitId: UNIT,
  },
};
export const resultReported: IssueEvent = {
  type: 'ResultReported',
  data: {
    ...base(6),
    summary: '已整改',
    evidence: [],
    leadUnitId: UNIT,
    deadline: DEADLINE,
    deadlineVersion: 1,
    onTime: true,
  },
};
export const assessed = (verdict: 'satisfied' | 'unsatisfied'): IssueEvent => ({
  type: 'ResultAssessed',
  data: { ...base(7), verdict, comment: null, leadUnitId: UNIT },
});
export const reopened: IssueEvent = {
  type: 'IssueReopened',
  data: { ...base(7), deadline: REOPENED, deadlineVersion: 2, leadUnitId: UNIT },
};
export const closed: IssueEvent = {
  type: 'IssueClosed',
  data: { ...base(8), note: null, deadline: DEADLINE, onTime: true, verdict: 'satisfied', leadUnitId: UNIT },
};
export const withdrawn: IssueEvent = {
  type: 'IssueWithdrawn',
  data: { ...base(8), reason: '重复登记', fromStatus: 'assigned' },
};
export const progressRequested: IssueEvent = {
  type: 'ProgressRequested',
  data: { ...base(4), month: '2026-03', dueBy: at(200), leadUnitId: UNIT, coUnitIds: [] },
};
