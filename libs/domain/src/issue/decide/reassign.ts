import { requireText } from '../../validation';
import type { ReassignIssue } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import { IssueState, pendingExtensionRequest } from '../issue.state';
import { requireAssignment } from './assign';
import { eventBase, leadUnitOf, refuse, requireStatusFor } from './refusals';

/** 改派: while assigned, before the unit starts, with no extension request pending; a new deadline version. */
export function reassignIssue(command: ReassignIssue, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const assignment = requireAssignment(command.data, base.at);
  const reason = requireText('reason', command.data.reason);
  const started = `unit ${state.leadUnitId} has started rectifying it; re-assignment (改派) is only possible before a plan or progress is reported`;
  requireStatusFor(command.type, state, { in_progress: started, reopened: started });
  const pending = pendingExtensionRequest(state);
  if (pending)
    refuse(
      command.type,
      state,
      `decide extension request ${pending.requestId} of unit ${state.leadUnitId} before re-assigning it`,
    );
  return [
    {
      type: 'IssueAssigned',
      data: {
        ...base,
        ...assignment,
        deadlineVersion: state.deadlineVersion + 1,
        previousLeadUnitId: leadUnitOf(state),
        reason,
      },
    },
  ];
}
