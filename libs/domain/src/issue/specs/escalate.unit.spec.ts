import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('escalate (1 督办, 2 重点督办, 3 约谈, 4 问责): never down', () => {
  const escalate = (level: number, hours = 24 * 11) => f.command('EscalateIssue', { level, reason: '逾期未办结' }, hours);
  const byWorker = (level: number, deadlineVersion = 1) =>
    ({ ...f.command('EscalateIssue', { level, reason: 'overdue', automatic: true, deadlineVersion }, 24 * 11), meta: { at: f.at(24 * 11), actor: { id: 'system:worker', role: 'system' } } });
  const escalated = (level: number) => ({
    type: 'IssueEscalated' as const,
    data: { issueId: f.ISSUE, at: f.at(24 * 11), by: 'reg-1', level: level as 1, fromLevel: 0, reason: '逾期未办结', automatic: false, deadlineVersion: 1, leadUnitId: f.UNIT },
  });

  it.each(['assigned', 'in_progress', 'reopened'])('by hand on an open issue (%s)', (status) =>
    spec.given(f.IN[status]).when(escalate(2)).thenState((s) => expect(s.escalationLevel).toBe(2)));
  it('records the level and where it came from', () => spec.given(f.IN.assigned).when(escalate(1)).then([escalated(1)]));
  it('refuses going down or staying, by hand', () =>
    spec.given([...f.IN.assigned, escalated(3)]).when(escalate(2)).thenThrows(IllegalTransition, /already at level 3, and escalations never go down/));
  it('refuses a level outside 1..4', () => spec.given(f.IN.assigned).when(escalate(5)).thenThrows(InvalidCommand, /level/));
  it.each(f.statusesExcept('none', 'assigned', 'in_progress', 'reopened'))('by hand is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(escalate(1)).thenThrows(IllegalTransition, new RegExp(`cannot escalate an issue that is ${status}`)));
  it('by the worker: records it as automatic', () =>
    spec.given(f.IN.assigned).when(byWorker(1)).thenState((s) => expect(s.escalations[0]).toMatchObject({ level: 1, automatic: true, by: 'system:worker' })));
  it('by the worker: a level already reached records nothing (a job that ran twice)', () =>
    spec.given([...f.IN.assigned, escalated(2)]).when(byWorker(2)).thenNothingHappens());
  it('by the worker: a stale deadline version records nothing', () => spec.given(f.IN.assigned).when(byWorker(1, 0)).thenNothingHappens());
  it.each(['result_reported', 'closed', 'withdrawn'])('by the worker: nothing once the issue is %s', (status) => spec.given(f.IN[status]).when(byWorker(1)).thenNothingHappens());
});
