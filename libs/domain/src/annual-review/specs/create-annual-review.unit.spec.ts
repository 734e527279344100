import { AlreadyExists, InvalidCommand } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { AnnualReviewCommand, CreateAnnualReview } from '../annual-review.commands';
import { annualReviewDecider } from '../annual-review.decider';
import type { AnnualReviewCreated } from '../annual-review.events';

const spec = DeciderSpecification.for(annualReviewDecider);
const AT = '2026-12-20T02:00:00.000Z';
const registrar = { id: 'registrar-1', role: 'registrar' };

/** 效能风暴's year-end assessment: on-time rate 0.5, satisfaction 0.3, escalations 0.2 (fewer is better), advanced +5. */
const definition: CreateAnnualReview['data'] = {
  year: 2026,
  items: [
    { key: 'onTime', name: '按期办结率', weight: 0.5, metric: 'onTimeRate', better: 'higher' },
    { key: 'satisfaction', name: '满意率', weight: 0.3, metric: 'satisfactionRate', better: 'higher' },
    { key: 'escalations', name: '升级督办', weight: 0.2, metric: 'escalations', better: 'lower' },
  ],
  bonuses: [{ key: 'advanced', name: '评议先进', points: 5, when: 'advanced_in_appraisal' }],
};
const create = (data: Partial<CreateAnnualReview['data']> = {}): CreateAnnualReview => ({
  type: 'CreateAnnualReview',
  data: { ...definition, ...data },
  meta: { at: AT, actor: registrar },
});
const created: AnnualReviewCreated = {
  type: 'AnnualReviewCreated',
  data: { ...definition, bonuses: definition.bonuses!, unitIds: null, at: AT, by: registrar.id },
};

describe('define the year-end review (年度考核): weighted items over metrics, bonuses', () => {
  it('records the definition; no units named means every active unit', () =>
    spec.given([]).when(create()).then([created]));

  it('no bonuses is an empty list; named units are kept, each once', () =>
    spec
      .given([])
      .when(create({ bonuses: undefined, unitIds: ['u1', 'u2', 'u1'] }))
      .thenState((s) => expect(s).toMatchObject({ year: 2026, bonuses: [], unitIds: ['u1', 'u2'] })));

  it('weights that are decimal fractions summing to 1 are accepted (0.1 + 0.2 + 0.7)', () =>
    spec
      .given([])
      .when(
        create({
          items: [
            { ...definition.items[0], weight: 0.1 },
            { ...definition.items[1], weight: 0.2 },
            { ...definition.items[2], weight: 0.7 },
          ],
        }),
      )
      .thenState((s) => expect(s.items.map((i) => i.weight)).toEqual([0.1, 0.2, 0.7])));

  it('refuses weights that do not sum to 1, naming items and the sum', () =>
    spec
      .given([])
      .when(
        create({
          items: [
            { ...definition.items[0], weight: 0.5 },
            { ...definition.items[1], weight: 0.3 },
          ],
        }),
      )
      .thenThrows(InvalidCommand, /weights must sum to 1 \(they sum to 0\.8\)/, { field: 'items' }));

  it.each([
    ['items', { items: [] }],
    ['items[0].weight', { items: [{ ...definition.items[0], weight: 0 }] }],
    ['items[0].metric', { items: [{ ...definition.items[0], weight: 1, metric: 'speed' as never }] }],
    ['items[0].better', { items: [{ ...definition.items[0], weight: 1, better: 'more' as never }] }],
    ['items[0].key', { items: [{ ...definition.items[0], weight: 1, key: 'On Time' }] }],
    ['items[1].key', { items: [{ ...definition.items[0] }, { ...definition.items[1], key: 'onTime', weight: 0.5 }] }],
    ['bonuses[0].when', { bonuses: [{ key: 'b', name: 'n', points: 5, when: 'always' as never }] }],
    ['bonuses[0].points', { bonuses: [{ key: 'b', name: 'n', points: 0, when: 'red_listed' as const }] }],
    ['year', { year: 1999 }],
    ['unitIds', { unitIds: [] }],
  ])('refuses a bad %s, naming it', (field, data) =>
    spec.given([]).when(create(data)).thenThrows(InvalidCommand, undefined, { field }),
  );

  it('one review per year: a second is refused (409), pointing at the results', () =>
    spec
      .given([created])
      .when(create())
      .thenThrows(AlreadyExists, /already defined.*annual-reviews\/2026\/results/));

  it('refuses an unknown command type', () =>
    spec
      .given([])
      .when({ ...create(), type: 'PublishAnnualReview' } as unknown as AnnualReviewCommand)
      .thenThrows(InvalidCommand, /unknown annual review command/, { field: 'type' }));
});
