import { InvalidCommand, NotFound } from '../../errors';
import { optionalText } from '../../validation';
import type { DecideExtension } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { eventBase, refuse, requireStatusFor } from './refusals';

/** A registrar approves (the deadline moves, a new version) or rejects a pending extension request. */
export function decideExtension(command: DecideExtension, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const d = command.data;
  if (typeof d.approved !== 'boolean') throw new InvalidCommand('approved', 'must be true or false');
  const note = optionalText('note', d.note);
  const request = state.extensionRequests.find((r) => r.requestId === d.requestId);
  if (!request) throw new NotFound(`issue ${base.issueId} has no extension request ${d.requestId}`);
  if (request.status !== 'pending')
    refuse(command.type, state, `request ${request.requestId} was already ${request.status}`);
  // a pending request only exists on an open issue: reporting a result or withdrawing lapses it
  requireStatusFor(command.type, state);
  const requestId = request.requestId;
  if (!d.approved) return [{ type: 'ExtensionRejected', data: { ...base, requestId, note } }];
  if (request.newDeadline <= base.at) {
    refuse(
      command.type,
      state,
      `the requested deadline ${request.newDeadline} has already passed; reject request ${requestId} and let the unit ask for a later one`,
    );
  }
  return [
    {
      type: 'ExtensionApproved',
      data: { ...base, requestId, deadline: request.newDeadline, deadlineVersion: state.deadlineVersion + 1, note },
    },
  ];
}
