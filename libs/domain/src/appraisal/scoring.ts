import type { CampaignDefinition, CampaignResults, RankedUnit, TalliedBallot } from './appraisal.types';

/** What a campaign ranks, whichever its kind: the id ballots name, the unit, the tie-break code and, for people, who. */
export interface ScoredTarget {
  targetId: string;
  unitId: string;
  code: string;
  name?: string;
  title?: string;
}

/** The targets of a campaign in definition order (campaigns recorded before people and systems rank their units). */
export function targetsOf(definition: CampaignDefinition): ScoredTarget[] {
  if (definition.targetKind !== 'person')
    return definition.units.map((u) => ({ targetId: u.unitId, unitId: u.unitId, code: u.code }));
  const codes = new Map(definition.units.map((u) => [u.unitId, u.code]));
  return definition.targets.map((p) => ({
    targetId: p.id,
    unitId: p.unitId,
    code: `${codes.get(p.unitId) ?? p.unitId}/${p.id}`,
    name: p.name,
    ...(p.title ? { title: p.title } : {}),
  }));
}

/** 免评: the targets exempt from scoring — those named, and those earned by an earlier campaign's results. */
export function exemptOf(definition: CampaignDefinition): Set<string> {
  const named = definition.targetKind === 'person' ? (definition.exemptTargetIds ?? []) : definition.exemptUnitIds;
  return new Set([...named, ...(definition.exemptFrom?.targetIds ?? [])]);
}

/** A ballot's value: the criterion-weighted sum of its scores (criterion weights sum to 1). */
export function ballotValue(definition: Pick<CampaignDefinition, 'criteria'>, scores: Record<string, number>): number {
  return definition.criteria.reduce((sum, c) => sum + c.weight * scores[c.key], 0);
}

/**
 * The published ranking (DESIGN.md §7): a group's figure for a unit is the mean of its ballots' values
 * over all rounds; a unit's score is the group-weighted sum of the figures of the groups that voted on it,
 * re-normalised over those groups. Per-criterion figures follow the same rule. Ranked by score descending,
 * ties by unit code ascending; the bottom N ranked units are flagged; exempt units are never ranked, and
 * units no ballot scored are listed apart. The targets are units, or people (ballots name `targetId`; a person's
 * tie-break code is their unit's code then their id). With systems, each ranked target also gets its rank within
 * its unit's system; the top `advancedTop` ranked targets that are not in the bottom N are flagged `advanced`.
 */
export function scoreCampaign(definition: CampaignDefinition, ballots: readonly TalliedBallot[]): CampaignResults {
  const exempt = exemptOf(definition);
  const targets = targetsOf(definition);
  const { sums, counted } = sumBallots(definition, ballots, exempt);
  const ranked: Unranked[] = [];
  const unrated: string[] = [];
  for (const target of targets) {
    if (exempt.has(target.targetId)) continue;
    const byGroup = sums.get(target.targetId);
    if (byGroup) ranked.push({ ...identity(definition, target), ...scoreUnit(definition, byGroup) });
    else unrated.push(target.targetId);
  }
  ranked.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const bottomCount =
    'count' in definition.bottom
      ? Math.min(definition.bottom.count, ranked.length)
      : Math.ceil(definition.bottom.share * ranked.length);
  const items: RankedUnit[] = ranked.map((r, i) => ({ ...r, rank: i + 1, bottom: i >= ranked.length - bottomCount }));
  return {
    items: withSystemsAndAdvanced(definition, items),
    exempt: targets.filter((t) => exempt.has(t.targetId)).map((t) => t.targetId),
    unrated,
    ballotsCounted: counted,
  };
}

/** A ranked target's identity as results show it (unit campaigns without the new fields look as they always did). */
function identity(
  definition: CampaignDefinition,
  t: ScoredTarget,
): Pick<RankedUnit, 'unitId' | 'code' | 'targetId' | 'name' | 'title'> {
  if (definition.targetKind !== 'person') return { unitId: t.unitId, code: t.code };
  return { targetId: t.targetId, unitId: t.unitId, code: t.code, name: t.name, ...(t.title ? { title: t.title } : {}) };
}

/** The rank within the system (in overall order), and the advanced flag, when the campaign has them. */
function withSystemsAndAdvanced(definition: CampaignDefinition, items: RankedUnit[]): RankedUnit[] {
  const systems = definition.systems ?? [];
  const advancedTop = definition.advancedTop ?? 0;
  const systemOf = new Map<string, string>();
  for (const system of systems) for (const unitId of system.unitIds) systemOf.set(unitId, system.key);
  const seen = new Map<string, number>();
  return items.map((item) => {
    let out = item;
    if (systems.length > 0) {
      const system = systemOf.get(item.unitId) ?? null;
      const systemRank = system === null ? null : (seen.get(system) ?? 0) + 1;
      if (system !== null) seen.set(system, systemRank!);
      out = { ...out, system, systemRank };
    }
    if (advancedTop > 0) out = { ...out, advanced: item.rank <= advancedTop && !item.bottom };
    return out;
  });
}

type Unranked = Omit<RankedUnit, 'rank' | 'bottom'>;
/** One group's ballots for one unit: the sum of their values, per-criterion sums, and how many. */
type GroupSum = { value: number; criteria: Record<string, number>; n: number };

/** target → group → sums, over the ballots that count (not for an exempt target, from a known group). */
function sumBallots(definition: CampaignDefinition, ballots: readonly TalliedBallot[], exempt: Set<string>) {
  const groups = new Set(definition.groups.map((g) => g.key));
  const sums = new Map<string, Map<string, GroupSum>>();
  let counted = 0;
  for (const b of ballots) {
    const targetId = b.targetId ?? b.unitId;
    if (exempt.has(targetId) || !groups.has(b.group)) continue;
    counted++;
    const byGroup = sums.get(targetId) ?? new Map<string, GroupSum>();
    sums.set(targetId, byGroup);
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
