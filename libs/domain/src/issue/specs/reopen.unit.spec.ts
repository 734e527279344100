import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

/** 回头看: a closed issue reopened by the office with a reason and a new deadline; still the same issue. */
describe('reopen a closed issue (回头看): back to reopened with a new deadline version', () => {
  const NEW_DEADLINE = f.at(24 * 60);
  const reopen = (data: Record<string, unknown> = {}) =>
    f.command('ReopenIssue', { deadline: NEW_DEADLINE, reason: '回访发现问题反弹', ...data }, 24 * 20);

  it('records IssueReopened from closed, with the reason', () =>
    spec
      .given(f.IN.closed)
      .when(reopen())
      .then([
        {
          type: 'IssueReopened',
          data: {
            ...f.base(24 * 20),
            deadline: NEW_DEADLINE,
            deadlineWorkingDays: null,
            deadlineVersion: 2,
            leadUnitId: f.UNIT,
            fromStatus: 'closed',
            reason: '回访发现问题反弹',
          },
        },
      ]));

  it('the unit rectifies again: reopened, a running deadline, the reopening listed', () =>
    spec
      .given(f.IN.closed)
      .when(reopen())
      .thenState((s) => {
        expect(s).toMatchObject({ status: 'reopened', deadline: NEW_DEADLINE, deadlineVersion: 2 });
        expect(s.reopenings).toEqual([
          { reason: '回访发现问题反弹', deadline: NEW_DEADLINE, at: f.at(480), by: f.registrar.id },
        ]);
      }));

  it.each(['assigned', 'in_progress', 'reopened'] as const)(
    'refuses an open issue (%s): order a time limit instead',
    (status) =>
      spec
        .given(f.IN[status])
        .when(reopen())
        .thenThrows(IllegalTransition, /order a new time limit/),
  );

  it('refuses a deadline in the past', () =>
    spec
      .given(f.IN.closed)
      .when(reopen({ deadline: f.at(1) }))
      .thenThrows(InvalidCommand, /deadline/));
});
