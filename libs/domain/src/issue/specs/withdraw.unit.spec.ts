import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('withdraw (duplicate or unfounded): registered | triaged | assigned | in_progress → withdrawn, only before a result is reported', () => {
  const withdraw = (hours = 1, reason = '重复件') => f.command('WithdrawIssue', { reason }, hours);

  it('from registered', () => spec.given(f.IN.registered).when(withdraw()).then([f.withdrawn]));
  it.each(['triaged', 'assigned', 'in_progress'] as const)('from %s, remembering where it was', (status) =>
    spec
      .given(f.IN[status])
      .when(withdraw(9))
      .thenState((s) =>
        expect(s).toMatchObject({ status: 'withdrawn', withdrawnAt: f.at(9), withdrawReason: '重复件' }),
      ),
  );
  it('a pending extension request lapses', () =>
    spec
      .given([...f.IN.assigned, f.extensionRequested])
      .when(withdraw(5))
      .then([
        { type: 'IssueWithdrawn', data: { ...f.base(5), reason: '重复件', fromStatus: 'assigned' } },
        f.lapsed(5, 'withdrawn', f.registrar.id),
      ]));

  it.each(['result_reported', 'accepted', 'reopened', 'closed'] as const)(
    'is refused once a result was reported: %s',
    (status) =>
      spec
        .given(f.IN[status])
        .when(withdraw(9))
        .thenThrows(
          IllegalTransition,
          new RegExp(
            `^cannot withdraw an issue that is ${status}; a result has already been reported, so it can only be assessed and closed$`,
          ),
          { state: status },
        ),
  );
  it('is refused in progress again after a reopening (a result was reported before)', () =>
    spec
      .given(f.IN_PROGRESS_AFTER_REOPENING)
      .when(withdraw(9))
      .thenThrows(
        IllegalTransition,
        /^cannot withdraw an issue that is in_progress; a result has already been reported/,
      ));
  it('is refused when already withdrawn', () =>
    spec
      .given(f.IN.withdrawn)
      .when(withdraw(2))
      .thenThrows(IllegalTransition, /^cannot withdraw an issue that is withdrawn; it is already withdrawn$/));
  it('covers every status that refuses', () =>
    expect(f.statusesExcept('registered', 'triaged', 'assigned', 'in_progress')).toEqual([
      'result_reported',
      'accepted',
      'reopened',
      'closed',
      'withdrawn',
    ]));
  it('an issue that does not exist is NotFound', () =>
    spec
      .given([])
      .when(withdraw())
      .thenThrows(NotFound, /does not exist/));
  it('a blank reason', () =>
    spec
      .given(f.IN.registered)
      .when(withdraw(1, ''))
      .thenThrows(InvalidCommand, /^reason/, { field: 'reason' }));
});
