import type { AnnualReviewBonus, AnnualReviewItem } from './annual-review.commands';
import type { AnnualReviewEvent } from './annual-review.events';

export interface AnnualReviewState {
  year: number | null;
  items: AnnualReviewItem[];
  bonuses: AnnualReviewBonus[];
  unitIds: string[] | null;
  createdAt: string | null;
  createdBy: string | null;
}

export function initialAnnualReviewState(): AnnualReviewState {
  return { year: null, items: [], bonuses: [], unitIds: null, createdAt: null, createdBy: null };
}

export function evolveAnnualReview(state: AnnualReviewState, event: AnnualReviewEvent): AnnualReviewState {
  switch (event.type) {
    case 'AnnualReviewCreated': {
      const e = event.data;
      return {
        year: e.year,
        items: e.items,
        bonuses: e.bonuses,
        unitIds: e.unitIds,
        createdAt: e.at,
        createdBy: e.by,
      };
    }
    default:
      return state;
  }
}
