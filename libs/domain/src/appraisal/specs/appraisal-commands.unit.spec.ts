import { fold } from '../../decider';
import { InvalidCommand } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import { appraisalDecider, openRound } from '../appraisal.decider';
import type { AppraisalCommand, AppraisalEvent, CampaignDefinition, NewSettings } from '../appraisal.types';
import { APPRAISAL_KEY_PATTERN, APPRAISAL_LIMITS } from '../appraisal.vocabulary';

const spec = DeciderSpecification.for(appraisalDecider);
const C = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const registrar = { id: 'reg-1', role: 'registrar' };
const AT = '2026-03-02T01:00:00.000Z';
const cmd = <T extends AppraisalCommand['type']>(type: T, data: Record<string, unknown>) =>
  ({ type, data: { campaignId: C, ...data }, meta: { at: AT, actor: registrar } }) as unknown as Extract<
    AppraisalCommand,
    { type: T }
  >;

const units = (n: number) => Array.from({ length: n }, (_, i) => ({ unitId: `u-${i}`, code: `U${i}` }));
const definition: Omit<CampaignDefinition, 'campaignId' | NewSettings | 'exemptFrom'> = {
  name: '2026年度民主评议',
  year: 2026,
  units: units(2),
  exemptUnitIds: [],
  criteria: [{ key: 'attitude', name: '服务态度', weight: 1 }],
  scale: { min: 0, max: 100 },
  groups: [{ key: 'public', name: '群众', weight: 1 }],
  rounds: [{ key: 'external', name: '外部评议' }],
  bottom: { count: 1 },
  lowScoreThreshold: null,
  bottomRectification: true,
  rectificationWorkingDays: 30,
};
const created: AppraisalEvent = {
  type: 'CampaignCreated',
  data: { campaignId: C, at: AT, by: 'reg-1', ...definition },
};

describe('decideAppraisal: one function per command, limits from the vocabulary', () => {
  it('hands a command to its own function, which decides the same events when called directly', () => {
    const state = fold(appraisalDecider, [created]);
    const open = cmd('OpenRound', { round: 'external' });
    expect(appraisalDecider.decide(open, state)).toEqual(openRound(open, state));
  });

  it(`takes up to ${APPRAISAL_LIMITS.units.max} participating units (the public contract's limit)`, () =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...definition, units: units(APPRAISAL_LIMITS.units.max) }))
      .thenState((s) => expect(s.definition?.units).toHaveLength(APPRAISAL_LIMITS.units.max)));

  it('refuses one unit more than the limit', () =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...definition, units: units(APPRAISAL_LIMITS.units.max + 1) }))
      .thenThrows(InvalidCommand, /^units: units must be a list of 1 to 2000 items$/, { field: 'units' }));

  it('refuses a bottom count above the limit', () =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...definition, bottom: APPRAISAL_LIMITS.bottomCount.max + 1 }))
      .thenThrows(InvalidCommand, /^bottomN: must be a whole number from 0 to 2000$/));

  it('refuses a command type it does not know, naming it', () =>
    spec
      .given([created])
      .when({ ...cmd('OpenRound', { round: 'external' }), type: 'PaintCampaign' } as unknown as AppraisalCommand)
      .thenThrows(InvalidCommand, /^type: unknown appraisal command PaintCampaign$/));

  it.each([
    ['efficiency', true],
    ['public_2', true],
    ['Efficiency', false],
    ['2nd', false],
    ['k'.repeat(APPRAISAL_LIMITS.key + 1), false],
  ])('the key %j matches the key pattern: %s', (key, ok) => expect(APPRAISAL_KEY_PATTERN.test(key)).toBe(ok));
});
