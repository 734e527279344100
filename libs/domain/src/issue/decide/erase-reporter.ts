import { IllegalTransition, InvalidCommand } from '../../errors';
import { requireText } from '../../validation';
import type { EraseReporter } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { isErasedReporter, isSealedReporter } from '../issue.vocabulary';
import { eventBase, requireStatusFor } from './refusals';

/**
 * PIPL erasure (crypto-shredding): the application destroys the reporter's data key; the event records
 * which reporter and key, who and why — never any personal data, so the hash chain stays whole.
 */
export function eraseReporter(command: EraseReporter, state: IssueState): IssueEvent[] {
  const d = command.data;
  const reporterId = requireText('reporterId', d.reporterId);
  const keyId = requireText('keyId', d.keyId);
  const reason = requireText('reason', d.reason);
  requireStatusFor(command.type, state);
  const reporter = state.reporter;
  const refuse = (why: string) => {
    throw new IllegalTransition(`cannot erase the reporter of issue ${state.id}: ${why}`, state.status, command.type);
  };
  if (!reporter) return refuse('it has no reporter');
  if (isErasedReporter(reporter))
    return refuse(`reporter ${reporter.reporterId} was already erased at ${reporter.erasedAt}`);
  if (!isSealedReporter(reporter))
    return refuse(
      'the reporter was recorded in clear by an earlier version (before personal data was encrypted); the append-only, hash-chained log cannot forget it without breaking verification — restrict access and handle the request offline (see the README, Personal data)',
    );
  if (reporter.reporterId !== reporterId)
    throw new InvalidCommand('reporterId', `is not the reporter of issue ${state.id}`);
  if (reporter.sealed.keyId !== keyId)
    throw new InvalidCommand('keyId', `is not the data key of reporter ${reporterId}`);
  return [{ type: 'ReporterErased', data: { ...eventBase(command), reporterId, keyId, reason } }];
}
