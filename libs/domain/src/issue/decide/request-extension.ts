import { AlreadyExists } from '../../errors';
import { requireFutureInstant, requireText } from '../../validation';
import type { RequestExtension } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import { IssueState, pendingExtensionRequest } from '../issue.state';
import { eventBase, leadUnitOf, refuse, requireStatusFor } from './refusals';

/** 申请延期: one pending request at a time, for a deadline after the current one. */
export function requestExtension(command: RequestExtension, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const d = command.data;
  const requestId = requireText('requestId', d.requestId);
  const reason = requireText('reason', d.reason);
  requireStatusFor(command.type, state);
  if (state.extensionRequests.some((r) => r.requestId === requestId))
    throw new AlreadyExists(`issue ${base.issueId} already has an extension request ${requestId}`);
  const pending = pendingExtensionRequest(state);
  if (pending) refuse(command.type, state, `request ${pending.requestId} is still pending a decision`);
  const currentDeadline = state.deadline!;
  const newDeadline = requireFutureInstant('newDeadline', d.newDeadline, base.at, {
    instant: currentDeadline,
    what: 'the current deadline',
  });
  return [
    {
      type: 'ExtensionRequested',
      data: { ...base, requestId, newDeadline, reason, currentDeadline, leadUnitId: leadUnitOf(state) },
    },
  ];
}
