import { requireText } from '../../validation';
import type { WithdrawIssue } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ADVICE, eventBase, lapsePendingExtension, refuse, requireStatusFor } from './refusals';

/** A duplicate or unfounded issue, withdrawn before any result was reported. */
export function withdrawIssue(command: WithdrawIssue, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const reason = requireText('reason', command.data.reason);
  // in_progress may follow a reopening, i.e. a result already reported: the history decides
  if (state.results.length > 0 && state.status !== 'withdrawn')
    refuse(command.type, state, ADVICE.resultAlreadyReported);
  requireStatusFor(command.type, state, { withdrawn: 'it is already withdrawn' });
  return [
    { type: 'IssueWithdrawn', data: { ...base, reason, fromStatus: state.status } },
    ...lapsePendingExtension(state, base, 'withdrawn'),
  ];
}
