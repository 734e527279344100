import type { ReopenIssue } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { eventBase, leadUnitOf, requireStatusFor } from './refusals';
import { requireNewDeadline } from './new-deadline';

const STILL_OPEN = 'it is not closed: order a new time limit (责令限期整改) instead';

/**
 * 回头看: the office reopens a closed issue — the problem came back, or the rectification proved hollow — with a
 * reason and a new deadline; the same lead unit rectifies again. Still one issue, counted as reopened.
 */
export function reopenIssue(command: ReopenIssue, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const { reason, ...deadline } = requireNewDeadline(command.data, base.at);
  requireStatusFor(command.type, state, {
    assigned: STILL_OPEN,
    in_progress: STILL_OPEN,
    reopened: STILL_OPEN,
    result_reported: 'its result awaits assessment; assess it unsatisfied to reopen it',
    accepted: 'its result was accepted but it is not closed yet; close it first, or record a finding',
  });
  return [
    {
      type: 'IssueReopened',
      data: {
        ...base,
        ...deadline,
        deadlineVersion: state.deadlineVersion + 1,
        leadUnitId: leadUnitOf(state),
        fromStatus: 'closed',
        reason,
      },
    },
  ];
}
