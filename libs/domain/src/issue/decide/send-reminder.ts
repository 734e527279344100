import { requireDuration, requireInteger } from '../../validation';
import type { SendReminder } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ADVICE, eventBase, leadUnitOf, refuse, requireStatusFor, sameAdvice, staleDeadlineVersion } from './refusals';

const NO_DEADLINE_RUNS = {
  ...sameAdvice(['registered', 'triaged'], ADVICE.noDeadlineBeforeAssignment),
  result_reported: 'its result was reported, so no deadline runs',
  accepted: ADVICE.resultAcceptedNoDeadline,
};

/** The deadline worker's reminder `offset` before the deadline of `deadlineVersion`; a repeat records nothing. */
export function sendReminder(command: SendReminder, state: IssueState): IssueEvent[] {
  const d = command.data;
  const deadlineVersion = requireInteger('deadlineVersion', d.deadlineVersion, 1);
  const offset = requireDuration('offset', d.offset);
  requireStatusFor(command.type, state, NO_DEADLINE_RUNS);
  if (deadlineVersion !== state.deadlineVersion)
    refuse(command.type, state, staleDeadlineVersion(state.deadlineVersion, deadlineVersion, 'reminder'));
  // The worker may run a job twice (a retry after a crash): the same reminder is recorded once.
  if (state.reminders.some((r) => r.deadlineVersion === deadlineVersion && r.offset === offset)) return [];
  return [
    {
      type: 'ReminderSent',
      data: {
        ...eventBase(command),
        deadlineVersion,
        offset,
        deadline: state.deadline!,
        leadUnitId: leadUnitOf(state),
        coUnitIds: state.coUnitIds,
      },
    },
  ];
}
