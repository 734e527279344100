import { AlreadyExists } from '../../errors';
import { optionalText, requireOneOf, requireText } from '../../validation';
import type { ProposeAccountability } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ACCOUNTABILITY_MEASURES } from '../issue.vocabulary';
import { requireAccountabilityTarget } from './record-accountability';
import { assignFirst, eventBase, leadUnitOf, requireStatusFor } from './refusals';

const UNASSIGNED = assignFirst('accountability follows from how an assigned issue was handled');

/** 责任追究、约谈 proposed, not yet imposed: a person decides it later (DecideProposal). */
export function proposeAccountability(command: ProposeAccountability, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const d = command.data;
  const proposalId = requireText('proposalId', d.proposalId);
  const kind = requireOneOf('kind', d.kind, ACCOUNTABILITY_MEASURES);
  const target = requireAccountabilityTarget(d.target);
  const reason = requireText('reason', d.reason);
  const causedBy = optionalText('causedBy', d.causedBy);
  requireStatusFor(command.type, state, UNASSIGNED);
  if (state.proposals.some((p) => p.id === proposalId))
    throw new AlreadyExists(`issue ${base.issueId} already has a proposal ${proposalId}`);
  return [
    {
      type: 'AccountabilityProposed',
      data: { ...base, proposalId, kind, target, reason, causedBy, leadUnitId: leadUnitOf(state) },
    },
  ];
}
