import { fold } from '../../decider';
import { issueDecider } from '../issue.decider';
import { isOverdue, issueView } from '../issue.state';
import * as f from './fixtures';

describe('the issue as GET /issues/:id shows it (issueView) and whether it is overdue', () => {
  it('answers the fields of the public contract (DESIGN.md §7)', () => {
    const view = issueView(fold(issueDecider, [...f.IN.in_progress, f.progressed, f.extensionRequested]));
    for (const field of [
      'id',
      'status',
      'source',
      'category',
      'title',
      'description',
      'reporter',
      'leadUnitId',
      'coUnitIds',
      'deadline',
      'deadlineVersion',
      'escalationLevel',
      'assessments',
    ]) {
      expect(view).toHaveProperty(field);
    }
    expect(view).toMatchObject({
      id: f.ISSUE,
      status: 'in_progress',
      reporter: { name: '李四', confidential: true },
      location: null,
      attachments: [],
      priority: 'normal',
      responsiblePerson: { name: '王五' },
      assignedAt: f.at(1),
      plan: { measures: [{ owner: '王五' }] },
      progress: [{ text: '已完成培训', percent: 50 }],
      extensionRequests: [{ requestId: f.REQUEST, status: 'pending' }],
      result: null,
      resultReportedAt: null,
      findings: [],
      accountability: [],
      lists: [],
      reminders: [],
      closedAt: null,
      withdrawnAt: null,
      overdue: null,
      updatedAt: f.at(4),
    });
  });

  it('is plain JSON', () => {
    const view = issueView(fold(issueDecider, f.IN.closed), f.at(9));
    expect(JSON.parse(JSON.stringify(view))).toStrictEqual(view);
  });

  it('an issue folded from no events has status none', () =>
    expect(issueView(issueDecider.initialState())).toMatchObject({ id: null, status: 'none' }));

  describe('overdue: the deadline in force has passed and no result awaits assessment', () => {
    const overdueAt = (history: typeof f.IN.assigned, hours: number) =>
      isOverdue(fold(issueDecider, history), f.at(hours));
    it('not before the deadline', () => expect(overdueAt(f.IN.in_progress, 24 * 10)).toBe(false));
    it('after it, while the unit works on it', () => expect(overdueAt(f.IN.in_progress, 24 * 10 + 1)).toBe(true));
    it('not once a result is reported', () => expect(overdueAt(f.IN.result_reported, 24 * 11)).toBe(false));
    it('reopened: against the new deadline', () => {
      expect(overdueAt(f.IN.reopened, 24 * 11)).toBe(false);
      expect(overdueAt(f.IN.reopened, 24 * 31)).toBe(true);
    });
    it('an approved extension moves it', () =>
      expect(overdueAt([...f.IN.in_progress, f.extensionRequested, f.extensionApproved], 24 * 11)).toBe(false));
    it.each(['registered', 'accepted', 'closed', 'withdrawn'] as const)('never when %s', (status) =>
      expect(overdueAt(f.IN[status], 24 * 100)).toBe(false),
    );
    it('issueView says so when given the moment', () =>
      expect(issueView(fold(issueDecider, f.IN.assigned), f.at(24 * 11)).overdue).toBe(true));
  });

  it('events from a newer version that this one does not know leave the state as it was', () => {
    const state = fold(issueDecider, f.IN.assigned);
    expect(issueDecider.evolve(state, { type: 'SomethingNew', data: {} } as never)).toBe(state);
  });
});
