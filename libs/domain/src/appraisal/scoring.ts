import type { CampaignDefinition, CampaignResults, RankedUnit, TalliedBallot } from './appraisal.types';

/** A ballot's value: the criterion-weighted sum of its scores (criterion weights sum to 1). */
export function ballotValue(definition: Pick<CampaignDefinition, 'criteria'>, scores: Record<string, number>): number {
  return definition.criteria.reduce((sum, c) => sum + c.weight * scores[c.key], 0);
}

/**
 * The published ranking (DESIGN.md §7): a group's figure for a unit is the mean of its ballots' values
 * over all rounds; a unit's score is the group-weighted sum of the figures of the groups that voted on it,
 * re-normalised over those groups. Per-criterion figures follow the same rule. Ranked by score descending,
 * ties by unit code ascending; the bottom N ranked units are flagged; exempt units are never ranked, and
 * units no ballot scored are listed apart.
 */
export function scoreCampaign(definition: CampaignDefinition, ballots: readonly TalliedBallot[]): CampaignResults {
  const exempt = new Set(definition.exemptUnitIds);
  const { sums, counted } = sumBallots(definition, ballots, exempt);
  const ranked: Unranked[] = [];
  const unrated: string[] = [];
  for (const unit of definition.units) {
    if (exempt.has(unit.unitId)) continue;
    const byGroup = sums.get(unit.unitId);
    if (byGroup) ranked.push({ unitId: unit.unitId, code: unit.code, ...scoreUnit(definition, byGroup) });
    else unrated.push(unit.unitId);
  }
  ranked.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const bottomCount =
    'count' in definition.bottom
      ? Math.min(definition.bottom.count, ranked.length)
      : Math.ceil(definition.bottom.share * ranked.length);
  return {
    items: ranked.map((r, i) => ({ ...r, rank: i + 1, bottom: i >= ranked.length - bottomCount })),
    exempt: definition.units.filter((u) => exempt.has(u.unitId)).map((u) => u.unitId),
    unrated,
    ballotsCounted: counted,
  };
}

type Unranked = Omit<RankedUnit, 'rank' | 'bottom'>;
/** One group's ballots for one unit: the sum of their values, per-criterion sums, and how many. */
type GroupSum = { value: number; criteria: Record<string, number>; n: number };

/** unit → group → sums, over the ballots that count (not for an exempt unit, from a known group). */
function sumBallots(definition: CampaignDefinition, ballots: readonly TalliedBallot[], exempt: Set<string>) {
  const groups = new Set(definition.groups.map((g) => g.key));
  const sums = new Map<string, Map<string, GroupSum>>();
  let counted = 0;
  for (const b of ballots) {
    if (exempt.has(b.unitId) || !groups.has(b.group)) continue;
    counted++;
    const byGroup = sums.get(b.unitId) ?? new Map<string, GroupSum>();
    sums.set(b.unitId, byGroup);
    const acc = byGroup.get(b.group) ?? { value: 0, criteria: zeroPerCriterion(definition), n: 0 };
    byGroup.set(b.group, acc);
    acc.value += ballotValue(definition, b.scores);
    for (const c of definition.criteria) acc.criteria[c.key] += b.scores[c.key];
    acc.n++;
  }
  return { sums, counted };
}

/** A unit's score: the group-weighted mean of its groups' mean values, re-normalised over the groups that voted. */
function scoreUnit(definition: CampaignDefinition, sums: Map<string, GroupSum>): Omit<Unranked, 'unitId' | 'code'> {
  const groupWeight = new Map(definition.groups.map((g) => [g.key, g.weight]));
  let weight = 0;
  let score = 0;
  let ballots = 0;
  const byGroup: Record<string, number> = {};
  const byCriterion = zeroPerCriterion(definition);
  for (const [group, acc] of sums) {
    const w = groupWeight.get(group)!;
    byGroup[group] = acc.value / acc.n;
    weight += w;
    score += w * byGroup[group];
    for (const c of definition.criteria) byCriterion[c.key] += (w * acc.criteria[c.key]) / acc.n;
    ballots += acc.n;
  }
  for (const c of definition.criteria) byCriterion[c.key] /= weight;
  return { score: score / weight, byGroup, byCriterion, ballots };
}

const zeroPerCriterion = (definition: CampaignDefinition): Record<string, number> =>
  Object.fromEntries(definition.criteria.map((c) => [c.key, 0]));
