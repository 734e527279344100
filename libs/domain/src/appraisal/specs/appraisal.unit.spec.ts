import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { APPRAISAL_DEFAULTS } from '../appraisal.vocabulary';
import { appraisalDecider } from '../appraisal.decider';
import { ballotDecider, BallotCast, CastBallot } from '../ballot.decider';
import type {
  AppraisalCommand,
  AppraisalEvent,
  CampaignDefinition,
  NewSettings,
  TalliedBallot,
} from '../appraisal.types';
import { fold } from '../../decider';
import { scoreCampaign } from '../scoring';

const spec = DeciderSpecification.for(appraisalDecider);
const ballots = DeciderSpecification.for(ballotDecider);
const C = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const registrar = { id: 'reg-1', role: 'registrar' };
const T0 = '2026-03-02T01:00:00.000Z';
const at = (h: number) => new Date(Date.parse(T0) + h * 3_600_000).toISOString();
const base = (h: number, by = registrar.id) => ({ campaignId: C, at: at(h), by });
const cmd = <T extends AppraisalCommand['type']>(type: T, data: Record<string, unknown>, h = 1) =>
  ({ type, data: { campaignId: C, ...data }, meta: { at: at(h), actor: registrar } }) as unknown as Extract<
    AppraisalCommand,
    { type: T }
  >;

const definition: Omit<CampaignDefinition, 'campaignId' | NewSettings | 'exemptFrom'> = {
  name: '2026年度民主评议政风行风',
  year: 2026,
  units: [
    { unitId: 'u-a', code: 'A01' },
    { unitId: 'u-b', code: 'B01' },
    { unitId: 'u-c', code: 'C01' },
    { unitId: 'u-x', code: 'X01' },
  ],
  exemptUnitIds: ['u-x'],
  criteria: [
    { key: 'attitude', name: '服务态度', weight: 0.5 },
    { key: 'efficiency', name: '办事效率', weight: 0.5 },
  ],
  scale: { min: 0, max: 100 },
  groups: [
    { key: 'public', name: '群众', weight: 0.6 },
    { key: 'supervisor', name: '监督员', weight: 0.4 },
  ],
  rounds: [
    { key: 'internal', name: '内部评议' },
    { key: 'external', name: '外部评议' },
  ],
  bottom: { count: 1 },
  lowScoreThreshold: 60,
  bottomRectification: true,
  rectificationWorkingDays: 30,
};
const created: AppraisalEvent = { type: 'CampaignCreated', data: { ...base(0), ...definition } };
const opened = (round = 'internal', h = 1): AppraisalEvent => ({ type: 'RoundOpened', data: { ...base(h), round } });
const closed = (round = 'internal', h = 2): AppraisalEvent => ({ type: 'RoundClosed', data: { ...base(h), round } });
const HASH = 'a'.repeat(64);

describe('an appraisal campaign (民主评议)', () => {
  describe('create', () => {
    it('records the definition', () =>
      spec
        .given([])
        .when(cmd('CreateCampaign', definition, 0))
        .then([
          {
            ...created,
            data: {
              ...created.data,
              targetKind: 'unit',
              targets: [],
              exemptTargetIds: [],
              exemptFrom: null,
              systems: [],
              advancedTop: 0,
            },
          } as AppraisalEvent,
        ]));
    it('once', () =>
      spec
        .given([created])
        .when(cmd('CreateCampaign', definition))
        .thenThrows(AlreadyExists, /already exists/));
    it.each([
      [
        'criteria weights that do not sum to 1',
        { criteria: [{ key: 'a', name: 'A', weight: 0.5 }] },
        /criteria weights must sum to 1/,
      ],
      [
        'group weights that do not sum to 1',
        {
          groups: [
            { key: 'public', name: 'P', weight: 0.7 },
            { key: 'enterprise', name: 'E', weight: 0.2 },
          ],
        },
        /groups weights must sum to 1/,
      ],
      [
        'an exempt unit that does not take part',
        { exemptUnitIds: ['u-z'] },
        /exempt unit u-z is not a participating unit/,
      ],
      ['a scale with min ≥ max', { scale: { min: 10, max: 10 } }, /scale needs numbers min < max/],
      ['a threshold off the scale', { lowScoreThreshold: 101 }, /lowScoreThreshold must lie on the scale/],
      ['a bottom share above 1', { bottom: { share: 1.5 } }, /bottomN is a count/],
      [
        'duplicate round keys',
        {
          rounds: [
            { key: 'r', name: 'a' },
            { key: 'r', name: 'b' },
          ],
        },
        /round keys must be distinct/,
      ],
    ])('refuses %s', (_what, change, message) =>
      spec
        .given([])
        .when(cmd('CreateCampaign', { ...definition, ...change }, 0))
        .thenThrows(InvalidCommand, message),
    );
    it('accepts the bottom N as a share', () =>
      spec
        .given([])
        .when(cmd('CreateCampaign', { ...definition, bottom: { share: 0.05 } }, 0))
        .thenState((s) => expect(s.definition!.bottom).toEqual({ share: 0.05 })));
  });

  describe('evaluators and tokens', () => {
    it('registers a named evaluator into a group', () =>
      spec
        .given([created])
        .when(cmd('RegisterEvaluator', { group: 'supervisor', userId: 'sup-1', name: '张监督' }))
        .thenState((s) => expect(s.evaluators).toEqual({ 'sup-1': 'supervisor' })));
    it('once per user', () =>
      spec
        .given([
          created,
          { type: 'EvaluatorRegistered', data: { ...base(1), group: 'supervisor', userId: 'sup-1', name: '张' } },
        ])
        .when(cmd('RegisterEvaluator', { group: 'public', userId: 'sup-1', name: '张' }))
        .thenThrows(AlreadyExists, /already an evaluator/));
    it('refuses an unknown group', () =>
      spec
        .given([created])
        .when(cmd('RegisterEvaluator', { group: 'mayor', userId: 'u', name: 'n' }))
        .thenThrows(InvalidCommand, /no evaluator group "mayor"/));
    it('issues a batch of anonymous tokens (hashes only)', () =>
      spec
        .given([created])
        .when(cmd('IssueBallotTokens', { group: 'public', batchId: 'b1', tokenHashes: [HASH] }))
        .thenState((s) => expect(s.tokens).toEqual({ [HASH]: 'public' })));
    it('refuses a token issued before', () =>
      spec
        .given([
          created,
          { type: 'BallotTokensIssued', data: { ...base(1), group: 'public', batchId: 'b1', tokenHashes: [HASH] } },
        ])
        .when(cmd('IssueBallotTokens', { group: 'public', batchId: 'b2', tokenHashes: [HASH] }))
        .thenThrows(AlreadyExists, /issued before/));
    it('refuses hashes that are not SHA-256 digests', () =>
      spec
        .given([created])
        .when(cmd('IssueBallotTokens', { group: 'public', batchId: 'b1', tokenHashes: ['secret'] }))
        .thenThrows(InvalidCommand, /SHA-256/));
    it('on a campaign that does not exist: NotFound', () =>
      spec
        .given([])
        .when(cmd('RegisterEvaluator', { group: 'public', userId: 'u', name: 'n' }))
        .thenThrows(NotFound, /does not exist/));
  });

  describe('rounds', () => {
    it('opens a round', () =>
      spec
        .given([created])
        .when(cmd('OpenRound', { round: 'internal' }))
        .then([opened()]));
    it('one open round at a time', () =>
      spec
        .given([created, opened()])
        .when(cmd('OpenRound', { round: 'external' }))
        .thenThrows(IllegalTransition, /round internal is still open/));
    it('closes it (the tally is frozen)', () =>
      spec
        .given([created, opened()])
        .when(cmd('CloseRound', { round: 'internal' }, 2))
        .then([closed()]));
    it('a closed round never opens again', () =>
      spec
        .given([created, opened(), closed()])
        .when(cmd('OpenRound', { round: 'internal' }, 3))
        .thenThrows(IllegalTransition, /closed and its tally is frozen/));
    it('closing a round never opened', () =>
      spec
        .given([created])
        .when(cmd('CloseRound', { round: 'internal' }))
        .thenThrows(IllegalTransition, /never opened/));
    it('an unknown round', () =>
      spec
        .given([created])
        .when(cmd('OpenRound', { round: 'final' }))
        .thenThrows(InvalidCommand, /no round "final"/));
  });

  describe('publish', () => {
    const tallied = (unitId: string, group: string, a: number, e: number, round = 'internal'): TalliedBallot => ({
      ballotId: `${unitId}-${group}-${a}-${e}`,
      round,
      unitId,
      group,
      scores: { attitude: a, efficiency: e },
    });
    const counted = [
      tallied('u-a', 'public', 90, 80),
      tallied('u-a', 'supervisor', 70, 70),
      tallied('u-b', 'public', 50, 50),
      tallied('u-c', 'public', 85, 85),
    ];
    it('ranks by the weighted score and opens issues under the threshold', () =>
      spec
        .given([created, opened(), closed()])
        .when(cmd('PublishResults', { ballots: counted, issueIdFor: { 'u-b': 'issue-b' } }, 3))
        .thenState((s) => {
          expect(s.status).toBe('published');
          // u-a: (0.6×85 + 0.4×70) / 1 = 79; u-b: 50 (public only, re-normalised); u-c: 85
          expect(s.results!.items.map((i) => [i.rank, i.unitId, i.score, i.bottom])).toEqual([
            [1, 'u-c', 85, false],
            [2, 'u-a', 79, false],
            [3, 'u-b', 50, true],
          ]);
          expect(s.results!.exempt).toEqual(['u-x']);
          expect(s.results!.issues).toEqual([
            { unitId: 'u-b', score: 50, issueId: 'issue-b', bottom: true, lowScore: true },
          ]);
        }));
    it('refused while a round is open', () =>
      spec
        .given([created, opened()])
        .when(cmd('PublishResults', { ballots: [], issueIdFor: {} }))
        .thenThrows(IllegalTransition, /still open/));
    it('refused before any round closed', () =>
      spec
        .given([created])
        .when(cmd('PublishResults', { ballots: [], issueIdFor: {} }))
        .thenThrows(IllegalTransition, /no round has been closed/));
    it('once: a published campaign takes no more commands', () => {
      const published = appraisalDecider.decide(
        cmd('PublishResults', { ballots: counted, issueIdFor: { 'u-b': 'issue-b' } }, 3),
        fold(appraisalDecider, [created, opened(), closed()]),
      );
      spec
        .given([created, opened(), closed(), ...published])
        .when(cmd('PublishResults', { ballots: [], issueIdFor: {} }, 4))
        .thenThrows(IllegalTransition, /results are published/);
    });
  });
});

describe('scoring (DESIGN.md §7)', () => {
  const def: CampaignDefinition = { campaignId: C, ...APPRAISAL_DEFAULTS, ...definition, bottom: { share: 0.5 } };
  it('ties go to the lower unit code', () => {
    const r = scoreCampaign(def, [
      { ballotId: '1', round: 'internal', unitId: 'u-b', group: 'public', scores: { attitude: 80, efficiency: 80 } },
      { ballotId: '2', round: 'internal', unitId: 'u-a', group: 'public', scores: { attitude: 80, efficiency: 80 } },
    ]);
    expect(r.items.map((i) => i.code)).toEqual(['A01', 'B01']);
    expect(r.unrated).toEqual(['u-c']);
  });
  it('a group figure is the mean over all rounds; the bottom share rounds up', () => {
    const r = scoreCampaign(def, [
      { ballotId: '1', round: 'internal', unitId: 'u-a', group: 'public', scores: { attitude: 60, efficiency: 60 } },
      { ballotId: '2', round: 'external', unitId: 'u-a', group: 'public', scores: { attitude: 100, efficiency: 100 } },
      {
        ballotId: '3',
        round: 'external',
        unitId: 'u-b',
        group: 'supervisor',
        scores: { attitude: 90, efficiency: 70 },
      },
      { ballotId: '4', round: 'external', unitId: 'u-c', group: 'public', scores: { attitude: 10, efficiency: 10 } },
    ]);
    expect(r.items.find((i) => i.unitId === 'u-a')).toMatchObject({
      score: 80,
      byGroup: { public: 80 },
      byCriterion: { attitude: 80, efficiency: 80 },
      ballots: 2,
    });
    expect(r.items.find((i) => i.unitId === 'u-b')).toMatchObject({ score: 80, byGroup: { supervisor: 80 } });
    // 3 ranked, share 0.5 → ⌈1.5⌉ = 2 flagged: u-a and u-b tie at 80 (A01 first), u-c last
    expect(r.items.map((i) => [i.unitId, i.bottom])).toEqual([
      ['u-a', false],
      ['u-b', true],
      ['u-c', true],
    ]);
  });
});

describe('a ballot', () => {
  const campaign = fold(appraisalDecider, [created, opened()]);
  const cast = (data: Partial<CastBallot['data']> = {}, state = campaign): CastBallot => ({
    type: 'CastBallot',
    data: {
      ballotId: 'b1',
      campaignId: C,
      round: 'internal',
      unitId: 'u-a',
      evaluatorKey: `token:${HASH}`,
      group: 'public',
      scores: { attitude: 90, efficiency: 70 },
      comment: '窗口态度好',
      campaign: state,
      ...data,
    },
    meta: { at: at(1.5), actor: { id: 'anonymous', role: 'public' } },
  });
  const event: BallotCast = {
    type: 'BallotCast',
    data: {
      ballotId: 'b1',
      campaignId: C,
      round: 'internal',
      unitId: 'u-a',
      evaluatorKey: `token:${HASH}`,
      group: 'public',
      scores: { attitude: 90, efficiency: 70 },
      value: 80,
      comment: '窗口态度好',
      at: at(1.5),
      by: 'anonymous',
    },
  };
  it('records the scores and their weighted value', () => ballots.given([]).when(cast()).then([event]));
  it('a second ballot of the same evaluator, unit and round is refused', () =>
    ballots
      .given([event])
      .when(cast())
      .thenThrows(AlreadyExists, /one ballot per evaluator, unit and round/));
  it('refused in a closed round (late)', () =>
    ballots
      .given([])
      .when(cast({}, fold(appraisalDecider, [created, opened(), closed()])))
      .thenThrows(IllegalTransition, /closed \(its tally is frozen\)/));
  it('refused before the round opens', () =>
    ballots
      .given([])
      .when(cast({}, fold(appraisalDecider, [created])))
      .thenThrows(IllegalTransition, /not open yet/));
  it('refused for an exempt unit', () =>
    ballots
      .given([])
      .when(cast({ unitId: 'u-x' }))
      .thenThrows(InvalidCommand, /exempt from scoring \(免评\)/));
  it('refused for a unit not in the campaign', () =>
    ballots
      .given([])
      .when(cast({ unitId: 'u-z' }))
      .thenThrows(InvalidCommand, /does not take part/));
  it('refused with a score off the scale', () =>
    ballots
      .given([])
      .when(cast({ scores: { attitude: 101, efficiency: 50 } }))
      .thenThrows(InvalidCommand, /scores.attitude must be a number from 0 to 100/));
  it('refused with a criterion missing', () =>
    ballots
      .given([])
      .when(cast({ scores: { attitude: 50 } }))
      .thenThrows(InvalidCommand, /"efficiency" .* has no score/));
  it('refused with a criterion the campaign does not have', () =>
    ballots
      .given([])
      .when(cast({ scores: { attitude: 50, efficiency: 50, looks: 1 } }))
      .thenThrows(InvalidCommand, /"looks" is not a criterion/));
});
