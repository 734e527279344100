import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { IssueEvent } from '../issue.events';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

/** 责令限期整改: the office sets a new time limit on an open issue; a new deadline version the ladder follows. */
describe('order a new time limit (责令限期整改): a new deadline version on an open issue, with a reason', () => {
  const NEW_DEADLINE = f.at(24 * 25);
  const order = (data: Record<string, unknown> = {}) =>
    f.command('OrderTimeLimit', { deadline: NEW_DEADLINE, reason: '黑榜通报，限期整改', ...data }, 24 * 2);
  const ordered = (extra: Record<string, unknown> = {}): IssueEvent =>
    ({
      type: 'TimeLimitOrdered',
      data: {
        ...f.base(24 * 2),
        deadline: NEW_DEADLINE,
        deadlineWorkingDays: null,
        reason: '黑榜通报，限期整改',
        previousDeadline: f.DEADLINE,
        deadlineVersion: 2,
        leadUnitId: f.UNIT,
        ...extra,
      },
    }) as IssueEvent;

  it('records the order as version 2 while the unit rectifies', () =>
    spec.given(f.IN.in_progress).when(order()).then([ordered()]));

  it('keeps a working-day count and its provisional years, so the calendar can move it later', () =>
    spec
      .given(f.IN.assigned)
      .when(order({ deadlineWorkingDays: 15, provisionalYears: [2027] }))
      .thenState((s) => {
        expect(s).toMatchObject({ deadline: NEW_DEADLINE, deadlineVersion: 2, deadlineWorkingDays: 15 });
        expect(s.deadlineProvisionalYears).toEqual([2027]);
        expect(s.timeLimitOrders).toEqual([
          {
            deadline: NEW_DEADLINE,
            deadlineVersion: 2,
            reason: '黑榜通报，限期整改',
            at: f.at(48),
            by: f.registrar.id,
          },
        ]);
        expect(s.deadlineHistory.at(-1)).toMatchObject({ because: 'time_limit' });
      }));

  it('refuses a deadline before the order', () =>
    spec
      .given(f.IN.in_progress)
      .when(order({ deadline: f.at(1) }))
      .thenThrows(InvalidCommand, /deadline/));

  it('refuses without a reason', () =>
    spec
      .given(f.IN.in_progress)
      .when(order({ reason: '' }))
      .thenThrows(InvalidCommand, /reason/));

  it('refuses a closed issue and says to reopen it', () =>
    spec
      .given(f.IN.closed)
      .when(order())
      .thenThrows(IllegalTransition, /reopen it/));

  it('refuses an issue not yet assigned', () =>
    spec
      .given(f.IN.registered)
      .when(order())
      .thenThrows(IllegalTransition, /assign it first/));
});
