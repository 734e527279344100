import type { Decider } from '../decider';
import { AlreadyExists, InvalidCommand } from '../errors';
import { requireInstant, requireInteger, requireOneOf, requireStringList, requireText } from '../validation';
import type {
  AnnualReviewBonus,
  AnnualReviewCommand,
  AnnualReviewItem,
  CreateAnnualReview,
} from './annual-review.commands';
import type { AnnualReviewEvent } from './annual-review.events';
import { AnnualReviewState, evolveAnnualReview, initialAnnualReviewState } from './annual-review.state';
import {
  ANNUAL_REVIEW_BONUS_CONDITIONS,
  ANNUAL_REVIEW_KEY,
  ANNUAL_REVIEW_LIMITS,
  ANNUAL_REVIEW_METRICS,
  BETTER_DIRECTIONS,
} from './annual-review.vocabulary';

/**
 * The year-end review (年度考核, DESIGN.md §7.1): its definition — weighted items over metrics, bonuses — is
 * recorded once per year; the results are computed from the log's read models by `scoreAnnualReview`, so an
 * auditor recomputes every figure from the events.
 */
export function decideAnnualReview(command: AnnualReviewCommand, state: AnnualReviewState): AnnualReviewEvent[] {
  switch (command.type) {
    case 'CreateAnnualReview':
      return createAnnualReview(command, state);
    default:
      throw new InvalidCommand('type', `unknown annual review command ${String(Reflect.get(Object(command), 'type'))}`);
  }
}

const requireKey = (field: string, value: unknown): string => {
  const key = requireText(field, value);
  if (!ANNUAL_REVIEW_KEY.test(key))
    throw new InvalidCommand(field, 'must start with a lower-case letter and hold only letters, digits and _ (≤ 40)');
  return key;
};

function requireUniqueKeys(field: string, entries: { key: string }[]): void {
  const seen = new Set<string>();
  for (const [i, e] of entries.entries()) {
    if (seen.has(e.key)) throw new InvalidCommand(`${field}[${i}].key`, `${e.key} is named twice`);
    seen.add(e.key);
  }
}

function item(raw: AnnualReviewItem, i: number): AnnualReviewItem {
  const field = `items[${i}]`;
  const weight = raw?.weight;
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight <= 0 || weight > 1)
    throw new InvalidCommand(`${field}.weight`, 'must be a number greater than 0 and at most 1');
  return {
    key: requireKey(`${field}.key`, raw.key),
    name: requireText(`${field}.name`, raw.name),
    weight,
    metric: requireOneOf(`${field}.metric`, raw.metric, ANNUAL_REVIEW_METRICS),
    better: requireOneOf(`${field}.better`, raw.better, BETTER_DIRECTIONS),
  };
}

function bonus(raw: AnnualReviewBonus, i: number): AnnualReviewBonus {
  const field = `bonuses[${i}]`;
  const points = raw?.points;
  const max = ANNUAL_REVIEW_LIMITS.bonusPoints;
  if (typeof points !== 'number' || !Number.isFinite(points) || points === 0 || Math.abs(points) > max)
    throw new InvalidCommand(`${field}.points`, `must be a non-zero number from -${max} to ${max}`);
  return {
    key: requireKey(`${field}.key`, raw.key),
    name: requireText(`${field}.name`, raw.name),
    points,
    when: requireOneOf(`${field}.when`, raw.when, ANNUAL_REVIEW_BONUS_CONDITIONS),
  };
}

/** At least one item; item weights sum to 1; keys unique; one review per year. */
export function createAnnualReview(command: CreateAnnualReview, state: AnnualReviewState): AnnualReviewEvent[] {
  const at = requireInstant('meta.at', command.meta.at);
  const by = requireText('meta.actor.id', command.meta.actor?.id);
  const d = command.data;
  const year = requireInteger('year', d.year, ANNUAL_REVIEW_LIMITS.yearMin, ANNUAL_REVIEW_LIMITS.yearMax);
  if (state.year !== null)
    throw new AlreadyExists(
      `the ${year} year-end review is already defined (at ${state.createdAt}); its results are at GET /annual-reviews/${year}/results`,
    );
  if (!Array.isArray(d.items) || d.items.length === 0) throw new InvalidCommand('items', 'must name at least one item');
  const items = d.items.map(item);
  requireUniqueKeys('items', items);
  const sum = items.reduce((s, i) => s + i.weight, 0);
  if (Math.abs(sum - 1) > ANNUAL_REVIEW_LIMITS.weightTolerance)
    throw new InvalidCommand('items', `the weights must sum to 1 (they sum to ${+sum.toFixed(12)})`);
  if (d.bonuses !== undefined && !Array.isArray(d.bonuses)) throw new InvalidCommand('bonuses', 'must be a list');
  const bonuses = (d.bonuses ?? []).map(bonus);
  requireUniqueKeys('bonuses', bonuses);
  const unitIds = d.unitIds === undefined ? null : [...new Set(requireStringList('unitIds', d.unitIds))];
  if (unitIds?.length === 0) throw new InvalidCommand('unitIds', 'must name at least one unit (or be left out)');
  return [{ type: 'AnnualReviewCreated', data: { year, items, bonuses, unitIds, at, by } }];
}

export const annualReviewDecider: Decider<AnnualReviewState, AnnualReviewCommand, AnnualReviewEvent> = {
  decide: decideAnnualReview,
  evolve: evolveAnnualReview,
  initialState: initialAnnualReviewState,
};
