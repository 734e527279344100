import { InvalidCommand, NotFound } from '../../errors';
import { optionalText } from '../../validation';
import type { DecideProposal } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { eventBase, leadUnitOf, refuse, requireStatusFor } from './refusals';

/**
 * A person decides a pending proposal, once. Approval records the proposed measure in the same decision, so
 * an approved proposal and its accountability record never exist one without the other.
 */
export function decideProposal(command: DecideProposal, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const d = command.data;
  if (typeof d.approved !== 'boolean') throw new InvalidCommand('approved', 'must be true or false');
  const note = optionalText('note', d.note);
  requireStatusFor(command.type, state);
  const proposal = state.proposals.find((p) => p.id === d.proposalId);
  if (!proposal) throw new NotFound(`issue ${base.issueId} has no proposal ${d.proposalId}`);
  if (proposal.status !== 'pending')
    refuse(command.type, state, `proposal ${proposal.id} was already ${proposal.status}; a proposal is decided once`);
  const proposalId = proposal.id;
  if (!d.approved) return [{ type: 'ProposalRejected', data: { ...base, proposalId, note } }];
  const reason = note ? `${proposal.reason} (${note})` : proposal.reason;
  return [
    { type: 'ProposalApproved', data: { ...base, proposalId, note } },
    {
      type: 'AccountabilityRecorded',
      data: { ...base, measure: proposal.kind, target: proposal.target, reason, leadUnitId: leadUnitOf(state) },
    },
  ];
}
