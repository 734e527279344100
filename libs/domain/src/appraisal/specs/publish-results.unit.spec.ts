import { fold } from '../../decider';
import { InvalidCommand } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import { appraisalDecider } from '../appraisal.decider';
import type {
  AppraisalCommand,
  AppraisalEvent,
  CampaignDefinition,
  NewSettings,
  TalliedBallot,
} from '../appraisal.types';
import { APPRAISAL_DEFAULTS, APPRAISAL_LIMITS } from '../appraisal.vocabulary';

const spec = DeciderSpecification.for(appraisalDecider);
const C = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const registrar = { id: 'reg-1', role: 'registrar' };
const AT = '2026-12-01T01:00:00.000Z';
const base = { campaignId: C, at: AT, by: registrar.id };
const cmd = <T extends AppraisalCommand['type']>(type: T, data: Record<string, unknown>) =>
  ({ type, data: { campaignId: C, ...data }, meta: { at: AT, actor: registrar } }) as unknown as Extract<
    AppraisalCommand,
    { type: T }
  >;

/** Six units scoring 90, 80, 70, 55, 50, 40: the bottom 2 are u5 (50) and u6 (40); u4 (55) is only under 60. */
const SCORES = [90, 80, 70, 55, 50, 40];
const unitIds = SCORES.map((_, i) => `u${i + 1}`);
const definition: Omit<
  CampaignDefinition,
  'campaignId' | 'bottomRectification' | 'rectificationWorkingDays' | NewSettings | 'exemptFrom'
> = {
  name: '2026年度民主评议',
  year: 2026,
  units: unitIds.map((unitId, i) => ({ unitId, code: `U0${i + 1}` })),
  exemptUnitIds: [],
  criteria: [{ key: 'attitude', name: '服务态度', weight: 1 }],
  scale: { min: 0, max: 100 },
  groups: [{ key: 'public', name: '群众', weight: 1 }],
  rounds: [{ key: 'external', name: '外部评议' }],
  bottom: { count: 2 },
  lowScoreThreshold: 60,
};
const createdWith = (settings: Partial<CampaignDefinition>): AppraisalEvent => ({
  type: 'CampaignCreated',
  data: { ...base, ...APPRAISAL_DEFAULTS, ...definition, ...settings },
});
const roundDone: AppraisalEvent[] = [
  { type: 'RoundOpened', data: { ...base, round: 'external' } },
  { type: 'RoundClosed', data: { ...base, round: 'external' } },
];
const ballots: TalliedBallot[] = unitIds.map((unitId, i) => ({
  ballotId: `b-${unitId}`,
  round: 'external',
  unitId,
  group: 'public',
  scores: { attitude: SCORES[i] },
}));
const publish = cmd('PublishResults', {
  ballots,
  issueIdFor: Object.fromEntries(unitIds.map((u) => [u, `issue-${u}`])),
});

describe('publishing an appraisal: the consequences for the bottom N (排名靠后)', () => {
  it('opens a rectification issue for each bottom unit as well as each unit under the threshold', () =>
    spec
      .given([createdWith({}), ...roundDone])
      .when(publish)
      .thenState((s) =>
        expect(s.results!.issues).toEqual([
          { unitId: 'u4', issueId: 'issue-u4', score: 55, bottom: false, lowScore: true },
          { unitId: 'u5', issueId: 'issue-u5', score: 50, bottom: true, lowScore: true },
          { unitId: 'u6', issueId: 'issue-u6', score: 40, bottom: true, lowScore: true },
        ]),
      ));

  it('opens issues for bottom units above the threshold too', () =>
    spec
      .given([createdWith({ lowScoreThreshold: null }), ...roundDone])
      .when(publish)
      .thenState((s) =>
        expect(s.results!.issues.map((i) => [i.unitId, i.bottom, i.lowScore])).toEqual([
          ['u5', true, false],
          ['u6', true, false],
        ]),
      ));

  it('opens issues only under the threshold when the campaign sets bottomRectification false', () =>
    spec
      .given([createdWith({ bottomRectification: false, lowScoreThreshold: 45 }), ...roundDone])
      .when(publish)
      .thenState((s) => expect(s.results!.issues.map((i) => i.unitId)).toEqual(['u6'])));

  it('flags the bottom units, and only them, as disqualified from the year’s honours', () =>
    spec
      .given([createdWith({ bottomRectification: false }), ...roundDone])
      .when(publish)
      .thenState((s) =>
        expect(s.results!.items.map((i) => [i.unitId, i.honoursDisqualified ?? false])).toEqual([
          ['u1', false],
          ['u2', false],
          ['u3', false],
          ['u4', false],
          ['u5', true],
          ['u6', true],
        ]),
      ));
});

describe('a campaign’s consequence settings', () => {
  it('default to bottom rectification within 30 working days', () =>
    spec
      .given([])
      .when(cmd('CreateCampaign', definition))
      .then([createdWith({ bottomRectification: true, rectificationWorkingDays: 30 })]));

  it('are recorded as given', () =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...definition, bottomRectification: false, rectificationWorkingDays: 10 }))
      .thenState((s) =>
        expect(s.definition).toMatchObject({ bottomRectification: false, rectificationWorkingDays: 10 }),
      ));

  it.each([0, APPRAISAL_LIMITS.rectificationWorkingDays.max + 1, 2.5])('refuse %s working days', (days) =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...definition, rectificationWorkingDays: days }))
      .thenThrows(InvalidCommand, /rectificationWorkingDays/),
  );

  it('refuse a bottomRectification that is not a boolean', () =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...definition, bottomRectification: 'yes' }))
      .thenThrows(InvalidCommand, /bottomRectification/));

  it('take their defaults for a campaign created before they existed', () => {
    const legacy: AppraisalEvent = { type: 'CampaignCreated', data: { ...base, ...definition } as never };
    expect(fold(appraisalDecider, [legacy]).definition).toMatchObject(APPRAISAL_DEFAULTS);
  });
});
