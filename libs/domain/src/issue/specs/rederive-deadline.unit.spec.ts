import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { IssueEvent } from '../issue.events';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

/**
 * When a year's holiday schedule changes, the worker counts a working-day deadline again from its start and
 * records the new instant as a new deadline version (reason `calendar`), so reminders follow it.
 */
describe('re-derive a working-day deadline after the calendar changed: a new version, never for an instant', () => {
  const NEW_DEADLINE = f.at(24 * 12);
  const byWorkingDays: IssueEvent = {
    ...f.assigned,
    data: { ...f.assigned.data, deadlineWorkingDays: 7, provisionalYears: [2027] },
  } as IssueEvent;
  const inProgress = [f.registered, byWorkingDays, f.planned];
  const rederive = (deadline = NEW_DEADLINE, deadlineVersion = 1) =>
    f.command('RederiveDeadline', { deadlineVersion, deadline, provisionalYears: [], calendarYear: 2027 }, 24 * 3);
  const rederived: IssueEvent = {
    type: 'DeadlineRederived',
    data: {
      ...f.base(24 * 3, f.worker.id),
      deadline: NEW_DEADLINE,
      previousDeadline: f.DEADLINE,
      deadlineVersion: 2,
      reason: 'calendar',
      calendarYear: 2027,
      provisionalYears: [],
      leadUnitId: f.UNIT,
    },
  };

  it('records the moved instant as version 2 and keeps how it was counted', () =>
    spec.given(inProgress).when(rederive()).then([rederived]));

  it('the state keeps the count and its start, and is no longer provisional', () =>
    spec
      .given(inProgress)
      .when(rederive())
      .thenState((s) => {
        expect(s).toMatchObject({ deadline: NEW_DEADLINE, deadlineVersion: 2, deadlineWorkingDays: 7 });
        expect(s.deadlineCountedFrom).toBe(f.assigned.data.at);
        expect(s.deadlineProvisionalYears).toEqual([]);
        expect(s.deadlineHistory.at(-1)).toMatchObject({ because: 'calendar', deadlineVersion: 2 });
      }));

  it('the same instant again records nothing', () =>
    spec.given(inProgress).when(rederive(f.DEADLINE)).thenNothingHappens());

  it('refuses a stale deadline version', () =>
    spec
      .given([...inProgress, rederived])
      .when(rederive(f.at(24 * 13), 1))
      .thenThrows(IllegalTransition, /version 2 now/));

  it('refuses to move a deadline given as an instant', () =>
    spec
      .given([f.registered, f.assigned])
      .when(rederive())
      .thenThrows(IllegalTransition, /instant never moves/));

  it('refuses once the result is reported (no deadline runs)', () =>
    spec
      .given([...inProgress, f.resultReported])
      .when(rederive())
      .thenThrows(IllegalTransition, /result_reported/));
});
