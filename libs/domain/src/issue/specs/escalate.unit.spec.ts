import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('escalate (1 督办, 2 重点督办, 3 约谈, 4 问责): open issues, only upwards, by hand or by the deadline worker', () => {
  const byHand = (level: number, hours = 8) => f.command('EscalateIssue', { level, reason: '推进缓慢' }, hours);
  /** `deadlineVersion: null` leaves it out */
  const byWorker = (level: number, deadlineVersion: number | null = 1, hours = 24 * 11) =>
    f.command(
      'EscalateIssue',
      { level, reason: '逾期未办结', automatic: true, ...(deadlineVersion === null ? {} : { deadlineVersion }) },
      hours,
      f.worker,
    );

  describe('by hand', () => {
    it('records the level, where it came from and the deadline it is about', () =>
      spec
        .given(f.IN.assigned)
        .when(byHand(1))
        .then([f.escalated(1)]));
    it.each(['assigned', 'in_progress', 'reopened'] as const)('on an open issue: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(byHand(2, 9))
        .thenState((s) => expect(s.escalationLevel).toBe(2)),
    );
    it('may skip levels (straight to 约谈)', () =>
      spec
        .given(f.IN.assigned)
        .when(byHand(3))
        .thenState((s) =>
          expect(s.escalations).toEqual([
            { level: 3, fromLevel: 0, reason: '推进缓慢', automatic: false, at: f.at(8), by: f.registrar.id },
          ]),
        ));
    it('goes up from the current level', () =>
      spec
        .given([...f.IN.assigned, f.escalated(2)])
        .when(byHand(3, 9))
        .thenState((s) =>
          expect(s.escalations.map((e) => [e.fromLevel, e.level])).toEqual([
            [0, 2],
            [2, 3],
          ]),
        ));
    it.each([1, 2])('refuses level %s when already at 2 (never down, never the same again)', (level) =>
      spec
        .given([...f.IN.assigned, f.escalated(2)])
        .when(byHand(level, 9))
        .thenThrows(
          IllegalTransition,
          /it is already at level 2, and escalations never go down or repeat; choose a level above 2/,
          { state: 'assigned', command: 'EscalateIssue' },
        ),
    );
    it('refuses anything at level 4', () =>
      spec
        .given([...f.IN.assigned, f.escalated(4)])
        .when(byHand(4, 9))
        .thenThrows(IllegalTransition, /already at level 4/));
  });

  describe('by the deadline worker (automatic)', () => {
    it('after the deadline: recorded as automatic, by the worker', () =>
      spec
        .given(f.IN.in_progress)
        .when(byWorker(1))
        .then([
          {
            type: 'IssueEscalated',
            data: {
              ...f.base(24 * 11, f.worker.id),
              level: 1,
              fromLevel: 0,
              reason: '逾期未办结',
              automatic: true,
              deadline: f.DEADLINE,
              deadlineVersion: 1,
              leadUnitId: f.UNIT,
            },
          },
        ]));
    it('at the deadline itself', () =>
      spec
        .given(f.IN.in_progress)
        .when(byWorker(1, 1, 24 * 10))
        .thenState((s) => expect(s.escalationLevel).toBe(1)));
    it('step by step: 2 after 1', () =>
      spec
        .given([...f.IN.in_progress, f.escalated(1)])
        .when(byWorker(2))
        .thenState((s) => expect(s.escalationLevel).toBe(2)));
    it('is refused before the deadline has passed', () =>
      spec
        .given(f.IN.in_progress)
        .when(byWorker(1, 1, 24 * 9))
        .thenThrows(IllegalTransition, /deadline \(.*\) has not passed; automatic escalation is for overdue issues/));
    it('is refused for a stale deadline version (the deadline moved)', () =>
      spec
        .given([...f.IN.in_progress, f.extensionRequested, f.extensionApproved])
        .when(byWorker(1, 1, 24 * 21))
        .thenThrows(
          IllegalTransition,
          /the deadline moved \(version 2 now\): the escalation for version 1 no longer applies/,
        ));
    it('is refused when that level was already reached (a job that ran twice)', () =>
      spec
        .given([...f.IN.in_progress, f.escalated(1)])
        .when(byWorker(1))
        .thenThrows(IllegalTransition, /already at level 1/));
    it('is refused for a reopened issue whose new deadline has not passed', () =>
      spec
        .given(f.IN.reopened)
        .when(byWorker(1, 2))
        .thenThrows(IllegalTransition, /has not passed/));
    it('needs the deadline version it is about', () =>
      spec
        .given(f.IN.in_progress)
        .when(byWorker(1, null))
        .thenThrows(InvalidCommand, /^deadlineVersion/, { field: 'deadlineVersion' }));
  });

  describe('refused', () => {
    it.each(['registered', 'triaged'] as const)('before assignment: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(byHand(1))
        .thenThrows(IllegalTransition, /assign it first: escalation presses the unit rectifying it/),
    );
    it.each(['result_reported', 'accepted'] as const)('once the result is in: %s (no deadline runs)', (status) =>
      spec
        .given(f.IN[status])
        .when(byHand(1, 9))
        .thenThrows(IllegalTransition, new RegExp(`^cannot escalate an issue that is ${status}; .*no deadline runs`)),
    );
    it.each(['closed', 'withdrawn'] as const)('when the issue is %s', (status) =>
      spec.given(f.IN[status]).when(byHand(1, 9)).thenThrows(IllegalTransition, f.refusal('escalate', status)),
    );
    it.each(['result_reported', 'closed', 'withdrawn'] as const)('by the worker too, when the issue is %s', (status) =>
      spec.given(f.IN[status]).when(byWorker(1)).thenThrows(IllegalTransition, f.refusal('escalate', status)),
    );
    it('covers every status but the open ones', () =>
      expect(f.statusesExcept('assigned', 'in_progress', 'reopened')).toEqual([
        'registered',
        'triaged',
        'result_reported',
        'accepted',
        'closed',
        'withdrawn',
      ]));
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(byHand(1))
        .thenThrows(NotFound, /does not exist/));
    it.each([0, 5, 1.5])('level %s is not on the ladder', (level) =>
      spec
        .given(f.IN.assigned)
        .when(byHand(level))
        .thenThrows(InvalidCommand, /^level: must be a whole number from 1 to 4/, { field: 'level' }),
    );
    it('a blank reason', () =>
      spec
        .given(f.IN.assigned)
        .when(f.command('EscalateIssue', { level: 1, reason: '' }, 8))
        .thenThrows(InvalidCommand, /^reason/));
  });
});
