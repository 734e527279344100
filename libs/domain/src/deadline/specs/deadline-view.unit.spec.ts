import type { IssueEvent } from '../../issue';
import { evolveIssue, initialIssueState } from '../../issue';
import { deadlineViewOf } from '../deadline-view';

/** One issue's story, in events at fixed hours after T0 (specs never read the clock). */
const ISSUE = '11111111-1111-4111-8111-111111111111';
const UNIT = '22222222-2222-4222-8222-222222222222';
const OTHER_UNIT = '66666666-6666-4666-8666-666666666666';
const T0 = Date.parse('2026-03-02T01:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();
const base = (hours: number) => ({ issueId: ISSUE, at: at(hours), by: 'reg-1' });
const DEADLINE = at(240);
const EXTENDED = at(480);
const REOPENED = at(720);

const registered: IssueEvent = {
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
const assigned = (hours = 1, leadUnitId = UNIT, deadlineVersion = 1, previousLeadUnitId: string | null = null) =>
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
const planned: IssueEvent = {
  type: 'PlanSubmitted',
  data: { ...base(2), measures: [{ description: '培训', owner: '王五', dueDate: '2026-03-06' }], leadUnitId: UNIT },
};
const reminded = (deadlineVersion: number, offset: string): IssueEvent => ({
  type: 'ReminderSent',
  data: { ...base(3), deadlineVersion, offset, deadline: DEADLINE, leadUnitId: UNIT, coUnitIds: [] },
});
const extended: IssueEvent = {
  type: 'ExtensionApproved',
  data: { ...base(5), requestId: 'r1', deadline: EXTENDED, deadlineVersion: 2, note: null },
};
const escalated: IssueEvent = {
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
const resultReported: IssueEvent = {
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
const assessed = (verdict: 'satisfied' | 'unsatisfied'): IssueEvent => ({
  type: 'ResultAssessed',
  data: { ...base(7), verdict, comment: null, leadUnitId: UNIT },
});
const reopened: IssueEvent = {
  type: 'IssueReopened',
  data: { ...base(7), deadline: REOPENED, deadlineVersion: 2, leadUnitId: UNIT },
};
const closed: IssueEvent = {
  type: 'IssueClosed',
  data: { ...base(8), note: null, deadline: DEADLINE, onTime: true, verdict: 'satisfied', leadUnitId: UNIT },
};
const withdrawn: IssueEvent = {
  type: 'IssueWithdrawn',
  data: { ...base(8), reason: '重复登记', fromStatus: 'assigned' },
};
const progressRequested: IssueEvent = {
  type: 'ProgressRequested',
  data: { ...base(4), month: '2026-03', dueBy: at(200), leadUnitId: UNIT, coUnitIds: [] },
};

/** given these events (folded with the domain's own evolve), then this view */
const given = (events: IssueEvent[]) => ({
  then: (expected: ReturnType<typeof deadlineViewOf>) =>
    expect(deadlineViewOf(events.reduce(evolveIssue, initialIssueState()))).toEqual(expected),
  thenMatches: (expected: Record<string, unknown>) =>
    expect(deadlineViewOf(events.reduce(evolveIssue, initialIssueState()))).toMatchObject(expected),
});

describe('the deadline view: what the worker schedules, derived from the folded issue', () => {
  it('nothing before an assignment: no deadline has ever run', () => {
    given([]).then(null);
    given([registered]).then(null);
  });

  it('an assignment starts version 1 of the deadline, open, set at the assignment', () =>
    given([registered, assigned()]).then({
      issueId: ISSUE,
      status: 'assigned',
      leadUnitId: UNIT,
      deadline: DEADLINE,
      deadlineVersion: 1,
      setAt: at(1),
      escalationLevel: 0,
      remindedOffsets: [],
      open: true,
      progressMonth: null,
    }));

  it('a plan keeps it open, in progress', () =>
    given([registered, assigned(), planned]).thenMatches({ status: 'in_progress', open: true, deadlineVersion: 1 }));

  it('reminders count for the version they were sent for', () =>
    given([registered, assigned(), reminded(1, 'P3D'), reminded(1, 'P1D')]).thenMatches({
      remindedOffsets: ['P3D', 'P1D'],
    }));

  it('an approved extension is a new version set at the approval, with no reminders yet', () =>
    given([registered, assigned(), reminded(1, 'P3D'), extended]).thenMatches({
      deadline: EXTENDED,
      deadlineVersion: 2,
      setAt: at(5),
      remindedOffsets: [],
      open: true,
    }));

  it('a re-assignment (改派) moves the lead unit and starts a new version', () =>
    given([registered, assigned(), planned, reminded(1, 'P3D'), assigned(9, OTHER_UNIT, 2, UNIT)]).thenMatches({
      status: 'assigned',
      leadUnitId: OTHER_UNIT,
      deadlineVersion: 2,
      setAt: at(9),
      remindedOffsets: [],
    }));

  it('an escalation raises the level the ladder has reached', () =>
    given([registered, assigned(), escalated]).thenMatches({ escalationLevel: 2, open: true }));

  it('a reported result stops the deadline', () =>
    given([registered, assigned(), resultReported]).thenMatches({ status: 'result_reported', open: false }));

  it('a satisfied assessment keeps it stopped (accepted)', () =>
    given([registered, assigned(), resultReported, assessed('satisfied')]).thenMatches({
      status: 'accepted',
      open: false,
    }));

  it('an unsatisfied assessment reopens it with a new version and a fresh ladder of reminders', () =>
    given([registered, assigned(), reminded(1, 'P1D'), resultReported, assessed('unsatisfied'), reopened]).then({
      issueId: ISSUE,
      status: 'reopened',
      leadUnitId: UNIT,
      deadline: REOPENED,
      deadlineVersion: 2,
      setAt: at(7),
      escalationLevel: 0,
      remindedOffsets: [],
      open: true,
      progressMonth: null,
    }));

  it('closing and withdrawing stop it', () => {
    given([registered, assigned(), resultReported, assessed('satisfied'), closed]).thenMatches({
      status: 'closed',
      open: false,
    });
    given([registered, assigned(), withdrawn]).thenMatches({ status: 'withdrawn', open: false });
  });

  it('the latest monthly progress request names the month', () =>
    given([registered, assigned(), progressRequested]).thenMatches({ progressMonth: '2026-03' }));
});
