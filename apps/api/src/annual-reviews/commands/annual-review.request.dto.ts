import { Matches } from 'class-validator';
import {
  ANNUAL_REVIEW_BONUS_CONDITIONS,
  ANNUAL_REVIEW_KEY,
  ANNUAL_REVIEW_LIMITS,
  ANNUAL_REVIEW_METRICS,
  BETTER_DIRECTIONS,
  type AnnualReviewBonusCondition,
  type AnnualReviewMetric,
  type BetterDirection,
} from '@duban/domain';
import { EnumField, IntField, NestedArrayField, NumberField, TextField, UuidArrayField } from '../../http/fields';

const KEY_MESSAGE = '$property must start with a lower-case letter and hold only letters, digits and _ (≤ 40)';

export class AnnualReviewItemDto {
  @TextField({ max: 40, example: 'onTime' })
  @Matches(ANNUAL_REVIEW_KEY, { message: KEY_MESSAGE })
  key: string;

  @TextField({ max: ANNUAL_REVIEW_LIMITS.name, example: '按期办结率' })
  name: string;

  @NumberField({ min: 0.000001, max: 1, description: "the item's weight; the items' weights sum to 1", example: 0.5 })
  weight: number;

  @EnumField(ANNUAL_REVIEW_METRICS, { description: 'what the item measures, per unit over the year' })
  metric: AnnualReviewMetric;

  @EnumField(BETTER_DIRECTIONS, { description: 'higher or lower values are better (lower: the points are reversed)' })
  better: BetterDirection;
}

export class AnnualReviewBonusDto {
  @TextField({ max: 40, example: 'advanced' })
  @Matches(ANNUAL_REVIEW_KEY, { message: KEY_MESSAGE })
  key: string;

  @TextField({ max: ANNUAL_REVIEW_LIMITS.name, example: '评议先进加分' })
  name: string;

  @NumberField({
    min: -ANNUAL_REVIEW_LIMITS.bonusPoints,
    max: ANNUAL_REVIEW_LIMITS.bonusPoints,
    description: 'points added to the score when the condition holds (negative: a deduction); not 0',
    example: 5,
  })
  points: number;

  @EnumField(ANNUAL_REVIEW_BONUS_CONDITIONS, { description: 'when the bonus applies' })
  when: AnnualReviewBonusCondition;
}

export class CreateAnnualReviewRequestDto {
  @IntField({ min: ANNUAL_REVIEW_LIMITS.yearMin, max: ANNUAL_REVIEW_LIMITS.yearMax, example: 2026 })
  year: number;

  @NestedArrayField(() => AnnualReviewItemDto, { maxItems: ANNUAL_REVIEW_LIMITS.items, minItems: 1 })
  items: AnnualReviewItemDto[];

  @NestedArrayField(() => AnnualReviewBonusDto, { maxItems: ANNUAL_REVIEW_LIMITS.bonuses, required: false })
  bonuses?: AnnualReviewBonusDto[];

  @UuidArrayField({
    maxItems: ANNUAL_REVIEW_LIMITS.unitIds,
    required: false,
    description: 'the units reviewed (default: every active unit of the directory)',
  })
  unitIds?: string[];
}
