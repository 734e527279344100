import { requireFutureInstant, requireInteger } from '../../validation';
import type { RederiveDeadline } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ADVICE, eventBase, leadUnitOf, refuse, requireStatusFor, sameAdvice, staleDeadlineVersion } from './refusals';

/**
 * A working-day deadline counted again after its year's schedule changed: a new deadline version with the
 * reason `calendar`, so the reminder ladder follows it. An instant deadline is never moved; the same instant
 * records nothing, so the worker may ask twice.
 */
export function rederiveDeadline(command: RederiveDeadline, state: IssueState): IssueEvent[] {
  const d = command.data;
  const base = eventBase(command);
  const deadlineVersion = requireInteger('deadlineVersion', d.deadlineVersion, 1);
  const calendarYear = requireInteger('calendarYear', d.calendarYear, 2000, 2100);
  const provisionalYears = (d.provisionalYears ?? []).map((y, i) =>
    requireInteger(`provisionalYears[${i}]`, y, 2000, 2100),
  );
  requireStatusFor(command.type, state, {
    ...sameAdvice(['registered', 'triaged'], ADVICE.noDeadlineBeforeAssignment),
    result_reported: 'its result was reported, so no deadline runs',
    accepted: ADVICE.resultAcceptedNoDeadline,
  });
  if (deadlineVersion !== state.deadlineVersion)
    refuse(command.type, state, staleDeadlineVersion(state.deadlineVersion, deadlineVersion, 're-derivation'));
  if (state.deadlineWorkingDays === null)
    refuse(command.type, state, 'its deadline was given as an instant, and an instant never moves with the calendar');
  const deadline = requireFutureInstant('deadline', d.deadline, state.deadlineCountedFrom ?? base.at);
  if (deadline === state.deadline) return [];
  return [
    {
      type: 'DeadlineRederived',
      data: {
        ...base,
        deadline,
        previousDeadline: state.deadline!,
        deadlineVersion: state.deadlineVersion + 1,
        reason: 'calendar',
        calendarYear,
        provisionalYears,
        leadUnitId: leadUnitOf(state),
      },
    },
  ];
}
