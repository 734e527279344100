import type { CommandMeta, Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';
import { optionalText, requireInstant, requireText } from '../validation';
import type { AppraisalState } from './appraisal.types';
import { ballotValue } from './scoring';

/**
 * One ballot: one evaluator's scores for one unit in one round. Its stream id derives from (campaign,
 * round, evaluator, unit), so a second ballot is a second append to the same stream: refused, even when
 * both arrive at once. The campaign as it stands comes in the command (the handler reads it).
 */
export type CastBallot = {
  type: 'CastBallot';
  data: {
    ballotId: string;
    campaignId: string;
    round: string;
    unitId: string;
    /** `token:<sha256 of the token>` or `user:<userId>`: who voted, never linked to a person for tokens */
    evaluatorKey: string;
    group: string;
    scores: Record<string, number>;
    comment?: string | null;
    campaign: AppraisalState;
  };
  meta: CommandMeta;
};

export type BallotCast = {
  type: 'BallotCast';
  data: {
    ballotId: string;
    campaignId: string;
    round: string;
    unitId: string;
    evaluatorKey: string;
    group: string;
    scores: Record<string, number>;
    /** the criterion-weighted sum */
    value: number;
    comment: string | null;
    at: string;
    by: string;
  };
};

export type BallotState = { cast: boolean };

export function decideBallot(command: CastBallot, state: BallotState): BallotCast[] {
  const d = command.data;
  const campaign = d.campaign;
  if (!campaign || campaign.status === 'none') throw new NotFound(`appraisal campaign ${d.campaignId} does not exist`);
  const definition = campaign.definition!;
  const round = requireText('round', d.round);
  if (!(round in campaign.rounds)) throw new InvalidCommand('round', `no round "${round}" in this campaign`);
  if (campaign.status === 'published')
    throw new IllegalTransition('cannot cast a ballot: the results are published', 'published', 'CastBallot');
  if (campaign.rounds[round] !== 'open') {
    throw new IllegalTransition(
      `cannot cast a ballot in round ${round}: it is ${campaign.rounds[round] === 'closed' ? 'closed (its tally is frozen)' : 'not open yet'}`,
      campaign.rounds[round],
      'CastBallot',
    );
  }
  const unitId = requireText('unitId', d.unitId);
  if (!definition.units.some((u) => u.unitId === unitId))
    throw new InvalidCommand('unitId', `unit ${unitId} does not take part in this campaign`);
  if (definition.exemptUnitIds.includes(unitId))
    throw new InvalidCommand('unitId', `unit ${unitId} is exempt from scoring (免评) in this campaign`);
  const scores = d.scores;
  if (!scores || typeof scores !== 'object' || Array.isArray(scores))
    throw new InvalidCommand('scores', 'scores must map each criterion to a number');
  for (const c of definition.criteria) {
    const score = scores[c.key];
    if (score === undefined)
      throw new InvalidCommand(`scores.${c.key}`, `the criterion "${c.key}" (${c.name}) has no score`);
    if (
      typeof score !== 'number' ||
      !Number.isFinite(score) ||
      score < definition.scale.min ||
      score > definition.scale.max
    ) {
      throw new InvalidCommand(
        `scores.${c.key}`,
        `scores.${c.key} must be a number from ${definition.scale.min} to ${definition.scale.max}`,
      );
    }
  }
  const unknown = Object.keys(scores).find((k) => !definition.criteria.some((c) => c.key === k));
  if (unknown) throw new InvalidCommand(`scores.${unknown}`, `"${unknown}" is not a criterion of this campaign`);
  if (state.cast)
    throw new AlreadyExists(
      `this evaluator has already cast a ballot for unit ${unitId} in round ${round}; one ballot per evaluator, unit and round`,
    );
  const clean = Object.fromEntries(definition.criteria.map((c) => [c.key, scores[c.key]]));
  return [
    {
      type: 'BallotCast',
      data: {
        ballotId: requireText('ballotId', d.ballotId),
        campaignId: requireText('campaignId', d.campaignId),
        round,
        unitId,
        evaluatorKey: requireText('evaluatorKey', d.evaluatorKey),
        group: requireText('group', d.group),
        scores: clean,
        value: ballotValue(definition, clean),
        comment: optionalText('comment', d.comment),
        at: requireInstant('meta.at', command.meta.at),
        by: requireText('meta.actor.id', command.meta.actor?.id),
      },
    },
  ];
}

export const ballotDecider: Decider<BallotState, CastBallot, BallotCast> = {
  decide: decideBallot,
  evolve: (state, event) => (event.type === 'BallotCast' ? { cast: true } : state),
  initialState: () => ({ cast: false }),
};
