import type { CommandMeta } from '../decider';
import type { AnnualReviewBonusCondition, AnnualReviewMetric, BetterDirection } from './annual-review.vocabulary';

export interface AnnualReviewItem {
  key: string;
  name: string;
  weight: number;
  metric: AnnualReviewMetric;
  better: BetterDirection;
}

export interface AnnualReviewBonus {
  key: string;
  name: string;
  points: number;
  when: AnnualReviewBonusCondition;
}

/** One review per year (the stream is the year's); `unitIds` absent: every active unit of the directory. */
export type CreateAnnualReview = {
  type: 'CreateAnnualReview';
  data: { year: number; items: AnnualReviewItem[]; bonuses?: AnnualReviewBonus[]; unitIds?: string[] };
  meta: CommandMeta;
};

export type AnnualReviewCommand = CreateAnnualReview;
export type AnnualReviewCommandType = AnnualReviewCommand['type'];
