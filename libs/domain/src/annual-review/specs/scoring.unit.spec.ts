import type { AnnualReviewItem } from '../annual-review.commands';
import { itemPoints, scoreAnnualReview, type AnnualReviewUnitFigures } from '../annual-review.scoring';

const item = (key: string, metric: AnnualReviewItem['metric'], weight: number, better: 'higher' | 'lower') => ({
  key,
  name: key,
  weight,
  metric,
  better,
});
const unit = (
  code: string,
  values: AnnualReviewUnitFigures['values'],
  conditions: AnnualReviewUnitFigures['conditions'] = {},
): AnnualReviewUnitFigures => ({ unitId: `id-${code}`, code, values, conditions });

describe('year-end scoring: min-max points, weights, bonuses, ranking', () => {
  it('min-max scales a higher-is-better metric to 0..100', () =>
    expect(itemPoints([0.5, 1, 0.75], 'higher')).toEqual([0, 100, 50]));

  it('reverses it when lower is better', () => expect(itemPoints([2, 0, 1], 'lower')).toEqual([0, 100, 50]));

  it('all equal: everyone gets 100, whichever way is better', () => {
    expect(itemPoints([3, 3, 3], 'lower')).toEqual([100, 100, 100]);
    expect(itemPoints([0, 0], 'higher')).toEqual([100, 100]);
  });

  it('a unit without a value takes no part in min and max and gets 100', () =>
    expect(itemPoints([0.2, null, 0.6, 0.4], 'higher')).toEqual([0, 100, 100, 50]));

  it('the score is the weighted sum of item points plus the bonuses met', () => {
    const items = [item('onTime', 'onTimeRate', 0.6, 'higher'), item('esc', 'escalations', 0.4, 'lower')];
    const bonuses = [
      { key: 'adv', name: '先进', points: 5, when: 'advanced_in_appraisal' as const },
      { key: 'red', name: '红榜', points: 2, when: 'red_listed' as const },
    ];
    const results = scoreAnnualReview({ items, bonuses }, [
      unit('A', { onTimeRate: 1, escalations: 4 }, { red_listed: true }),
      unit('B', { onTimeRate: 0.5, escalations: 0 }, { advanced_in_appraisal: true, red_listed: true }),
      unit('C', { onTimeRate: 0.75, escalations: 2 }),
    ]);
    // A: 0.6·100 + 0.4·0 + 2 = 62; B: 0.6·0 + 0.4·100 + 7 = 47; C: 0.6·50 + 0.4·50 = 50
    expect(results).toEqual([
      {
        rank: 1,
        unitId: 'id-A',
        code: 'A',
        score: 62,
        bonus: 2,
        bonuses: ['red'],
        byItem: { onTime: { value: 1, points: 100 }, esc: { value: 4, points: 0 } },
      },
      {
        rank: 2,
        unitId: 'id-C',
        code: 'C',
        score: 50,
        bonus: 0,
        bonuses: [],
        byItem: { onTime: { value: 0.75, points: 50 }, esc: { value: 2, points: 50 } },
      },
      {
        rank: 3,
        unitId: 'id-B',
        code: 'B',
        score: 47,
        bonus: 7,
        bonuses: ['adv', 'red'],
        byItem: { onTime: { value: 0.5, points: 0 }, esc: { value: 0, points: 100 } },
      },
    ]);
  });

  it('ties are ranked by unit code ascending, even when floating-point sums differ in the last bits', () => {
    const items = [
      item('a', 'onTimeRate', 0.1, 'higher'),
      item('b', 'satisfactionRate', 0.2, 'higher'),
      item('c', 'findings', 0.7, 'lower'),
    ];
    const results = scoreAnnualReview({ items, bonuses: [] }, [
      unit('U3', { onTimeRate: 1, satisfactionRate: 1, findings: 0 }),
      unit('U1', { onTimeRate: 1, satisfactionRate: 1, findings: 0 }),
      unit('U2', { onTimeRate: 0, satisfactionRate: 0, findings: 1 }),
    ]);
    expect(results.map((r) => [r.rank, r.code, r.score])).toEqual([
      [1, 'U1', 100],
      [2, 'U3', 100],
      [3, 'U2', 0],
    ]);
  });

  it('a metric the figures lack counts as no value (100 points)', () => {
    const [only] = scoreAnnualReview({ items: [item('x', 'redListed', 1, 'higher')], bonuses: [] }, [unit('A', {})]);
    expect(only).toMatchObject({ score: 100, byItem: { x: { value: null, points: 100 } } });
  });
});
