import type { CommandMeta, Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';
import { optionalText, requireInstant, requireText } from '../validation';
import type { AppraisalState, CampaignDefinition } from './appraisal.types';
import { ballotValue, exemptOf } from './scoring';

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
    /** unit campaigns: the unit voted on */
    unitId?: string;
    /** person campaigns: the person voted on (their unit is recorded as `unitId`) */
    targetId?: string;
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
    /** the unit voted on, or the voted person's unit */
    unitId: string;
    /** person campaigns only: the person voted on */
    targetId?: string;
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

/** One ballot per evaluator, target (unit or person) and round, in an open round of a campaign not yet published. */
export function decideBallot(command: CastBallot, state: BallotState): BallotCast[] {
  const d = command.data;
  const campaign = d.campaign;
  if (!campaign || campaign.status === 'none') throw new NotFound(`appraisal campaign ${d.campaignId} does not exist`);
  const definition = campaign.definition!;
  const round = requireOpenRound(campaign, d.round);
  const { unitId, targetId } =
    definition.targetKind === 'person'
      ? requireScoredPerson(definition, d.targetId, d.unitId)
      : { unitId: requireScoredUnit(definition, d.unitId, d.targetId), targetId: undefined };
  const scores = requireScores(definition, d.scores);
  if (state.cast)
    throw new AlreadyExists(
      targetId
        ? `this evaluator has already cast a ballot for ${targetId} in round ${round}; one ballot per evaluator, person and round`
        : `this evaluator has already cast a ballot for unit ${unitId} in round ${round}; one ballot per evaluator, unit and round`,
    );
  return [
    {
      type: 'BallotCast',
      data: {
        ballotId: requireText('ballotId', d.ballotId),
        campaignId: requireText('campaignId', d.campaignId),
        round,
        unitId,
        ...(targetId ? { targetId } : {}),
        evaluatorKey: requireText('evaluatorKey', d.evaluatorKey),
        group: requireText('group', d.group),
        scores,
        value: ballotValue(definition, scores),
        comment: optionalText('comment', d.comment),
        at: requireInstant('meta.at', command.meta.at),
        by: requireText('meta.actor.id', command.meta.actor?.id),
      },
    },
  ];
}

function requireOpenRound(campaign: AppraisalState, value: unknown): string {
  const round = requireText('round', value);
  if (!(round in campaign.rounds)) throw new InvalidCommand('round', `no round "${round}" in this campaign`);
  if (campaign.status === 'published')
    throw new IllegalTransition('cannot cast a ballot: the results are published', 'published', 'CastBallot');
  const status = campaign.rounds[round];
  if (status !== 'open') {
    throw new IllegalTransition(
      `cannot cast a ballot in round ${round}: it is ${status === 'closed' ? 'closed (its tally is frozen)' : 'not open yet'}`,
      status,
      'CastBallot',
    );
  }
  return round;
}

/** A participating unit that is not exempt from scoring (免评, named or earned). */
function requireScoredUnit(definition: CampaignDefinition, value: unknown, targetId: unknown): string {
  if (targetId !== undefined && targetId !== null && targetId !== value)
    throw new InvalidCommand('targetId', 'this campaign ranks units: name the unit as unitId');
  const unitId = requireText('unitId', value);
  if (!definition.units.some((u) => u.unitId === unitId))
    throw new InvalidCommand('unitId', `unit ${unitId} does not take part in this campaign`);
  if (exemptOf(definition).has(unitId))
    throw new InvalidCommand('unitId', `unit ${unitId} is exempt from scoring (免评) in this campaign`);
  return unitId;
}

/** A person campaign's target that is not exempt; the ballot records their unit. */
function requireScoredPerson(
  definition: CampaignDefinition,
  value: unknown,
  unitId: unknown,
): { unitId: string; targetId: string } {
  if (value === undefined || value === null)
    throw new InvalidCommand('targetId', 'this campaign ranks people: name the person as targetId');
  const targetId = requireText('targetId', value);
  const person = definition.targets.find((t) => t.id === targetId);
  if (!person) throw new InvalidCommand('targetId', `${targetId} is not a person appraised in this campaign`);
  if (unitId !== undefined && unitId !== null && unitId !== person.unitId)
    throw new InvalidCommand('unitId', `${targetId} belongs to unit ${person.unitId}, not ${String(unitId)}`);
  if (exemptOf(definition).has(targetId))
    throw new InvalidCommand('targetId', `${targetId} is exempt from scoring (免评) in this campaign`);
  return { unitId: person.unitId, targetId };
}

/** A score on the campaign's scale for each criterion, and nothing else; returned in criterion order. */
function requireScores(definition: CampaignDefinition, scores: unknown): Record<string, number> {
  if (!scores || typeof scores !== 'object' || Array.isArray(scores))
    throw new InvalidCommand('scores', 'scores must map each criterion to a number');
  const given: Record<string, unknown> = { ...scores };
  const { min, max } = definition.scale;
  for (const c of definition.criteria) {
    const score = given[c.key];
    if (score === undefined)
      throw new InvalidCommand(`scores.${c.key}`, `the criterion "${c.key}" (${c.name}) has no score`);
    if (typeof score !== 'number' || !Number.isFinite(score) || score < min || score > max)
      throw new InvalidCommand(`scores.${c.key}`, `scores.${c.key} must be a number from ${min} to ${max}`);
  }
  const unknown = Object.keys(given).find((k) => !definition.criteria.some((c) => c.key === k));
  if (unknown) throw new InvalidCommand(`scores.${unknown}`, `"${unknown}" is not a criterion of this campaign`);
  return Object.fromEntries(definition.criteria.map((c) => [c.key, Number(given[c.key])]));
}

export const ballotDecider: Decider<BallotState, CastBallot, BallotCast> = {
  decide: decideBallot,
  evolve: (state, event) => (event.type === 'BallotCast' ? { cast: true } : state),
  initialState: () => ({ cast: false }),
};
