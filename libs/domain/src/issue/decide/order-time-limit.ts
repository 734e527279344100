import type { OrderTimeLimit } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { assignFirst, eventBase, leadUnitOf, requireStatusFor } from './refusals';
import { requireNewDeadline } from './new-deadline';

/**
 * 责令限期整改: the office orders a new time limit on an issue a unit is rectifying — a new deadline version,
 * so the reminder ladder starts again from it and the old version's steps no longer apply.
 */
export function orderTimeLimit(command: OrderTimeLimit, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const terms = requireNewDeadline(command.data, base.at);
  requireStatusFor(command.type, state, {
    ...assignFirst('a time limit is ordered on the unit rectifying it'),
    result_reported: 'its result was reported and awaits assessment; assess it unsatisfied to set a new deadline',
    accepted: 'its result was accepted; it awaits closing (销号)',
    closed: 'it is closed (销号备案); reopen it (回头看) with a new deadline instead',
  });
  return [
    {
      type: 'TimeLimitOrdered',
      data: {
        ...base,
        ...terms,
        previousDeadline: state.deadline!,
        deadlineVersion: state.deadlineVersion + 1,
        leadUnitId: leadUnitOf(state),
      },
    },
  ];
}
