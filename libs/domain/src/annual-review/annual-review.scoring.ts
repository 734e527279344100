import type { AnnualReviewBonus, AnnualReviewItem } from './annual-review.commands';
import type { AnnualReviewBonusCondition, AnnualReviewMetric } from './annual-review.vocabulary';

/** One reviewed unit's raw figures for the year: a metric's value (null: undefined, e.g. a rate over nothing). */
export interface AnnualReviewUnitFigures {
  unitId: string;
  code: string;
  values: Partial<Record<AnnualReviewMetric, number | null>>;
  conditions: Partial<Record<AnnualReviewBonusCondition, boolean>>;
}

export interface AnnualReviewResult {
  rank: number;
  unitId: string;
  code: string;
  score: number;
  byItem: Record<string, { value: number | null; points: number }>;
  bonus: number;
  /** the keys of the bonuses that applied */
  bonuses: string[];
}

/**
 * Points and scores are rounded to this many decimals, so equal figures are equal (sums and quotients of decimal
 * fractions differ in the last bits) and ties are ties.
 */
const TIE_DECIMALS = 9;
const round = (n: number) => Math.round(n * 10 ** TIE_DECIMALS) / 10 ** TIE_DECIMALS;

/**
 * Points 0..100 of each unit on one item: the values over the reviewed units min-max scaled (reversed when
 * lower is better); when every value is equal, everyone gets 100. A unit without a value (a rate over nothing,
 * no appraisal score) takes no part in the min and max and gets 100: nothing counts against it.
 */
export function itemPoints(values: (number | null)[], better: AnnualReviewItem['better']): number[] {
  const known = values.filter((v): v is number => v !== null);
  const min = Math.min(...known);
  const max = Math.max(...known);
  return values.map((v) => {
    if (v === null || max === min) return 100;
    const scaled = (100 * (v - min)) / (max - min);
    return round(better === 'higher' ? scaled : 100 - scaled);
  });
}

/**
 * 年度考核: each unit's score is the weight-weighted sum of its item points plus the points of every bonus
 * whose condition it meets; ranked by score descending, ties by unit code ascending. Pure: the same
 * figures always give the same ranking.
 */
export function scoreAnnualReview(
  definition: { items: AnnualReviewItem[]; bonuses: AnnualReviewBonus[] },
  units: AnnualReviewUnitFigures[],
): AnnualReviewResult[] {
  const points = definition.items.map((item) =>
    itemPoints(
      units.map((u) => u.values[item.metric] ?? null),
      item.better,
    ),
  );
  const scored = units.map((unit, u) => {
    const byItem = Object.fromEntries(
      definition.items.map((item, i) => [item.key, { value: unit.values[item.metric] ?? null, points: points[i][u] }]),
    );
    const applied = definition.bonuses.filter((b) => unit.conditions[b.when] === true);
    const bonus = applied.reduce((s, b) => s + b.points, 0);
    const weighted = definition.items.reduce((s, item, i) => s + item.weight * points[i][u], 0);
    return {
      unitId: unit.unitId,
      code: unit.code,
      score: round(weighted + bonus),
      byItem,
      bonus,
      bonuses: applied.map((b) => b.key),
    };
  });
  scored.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return scored.map((s, i) => ({ rank: i + 1, ...s }));
}
