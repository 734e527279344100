import type { AnnualReviewBonus, AnnualReviewItem } from './annual-review.commands';

export type AnnualReviewCreated = {
  type: 'AnnualReviewCreated';
  data: {
    year: number;
    items: AnnualReviewItem[];
    bonuses: AnnualReviewBonus[];
    /** null: every active unit */
    unitIds: string[] | null;
    at: string;
    by: string;
  };
};

export type AnnualReviewEvent = AnnualReviewCreated;
export type AnnualReviewEventType = AnnualReviewEvent['type'];
export const ANNUAL_REVIEW_EVENT_TYPES: readonly AnnualReviewEventType[] = ['AnnualReviewCreated'];
