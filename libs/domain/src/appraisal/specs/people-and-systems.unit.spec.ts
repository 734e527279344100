import { fold } from '../../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import { appraisalDecider } from '../appraisal.decider';
import type {
  AppraisalCommand,
  AppraisalEvent,
  AppraisalState,
  EarlierCampaign,
  TalliedBallot,
} from '../appraisal.types';
import { ballotDecider, CastBallot } from '../ballot.decider';

const spec = DeciderSpecification.for(appraisalDecider);
const ballots = DeciderSpecification.for(ballotDecider);
const C = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';
const EARLIER = 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee';
const registrar = { id: 'reg-1', role: 'registrar' };
const AT = '2026-12-01T01:00:00.000Z';
const base = { campaignId: C, at: AT, by: registrar.id };
const cmd = <T extends AppraisalCommand['type']>(type: T, data: Record<string, unknown>) =>
  ({ type, data: { campaignId: C, ...data }, meta: { at: AT, actor: registrar } }) as unknown as Extract<
    AppraisalCommand,
    { type: T }
  >;

const common = {
  name: '2026年度科长民主评议',
  year: 2026,
  criteria: [{ key: 'attitude', name: '服务态度', weight: 1 }],
  scale: { min: 0, max: 100 },
  groups: [{ key: 'public', name: '群众', weight: 1 }],
  rounds: [
    { key: 'first', name: '第一轮' },
    { key: 'second', name: '第二轮' },
  ],
  bottom: { count: 2 },
  lowScoreThreshold: null,
};
const units = [
  { unitId: 'u-a', code: 'A01' },
  { unitId: 'u-b', code: 'B01' },
  { unitId: 'u-c', code: 'C01' },
];
/** five section chiefs in three units */
const people = [
  { id: 'K1', name: '甲科长', unitId: 'u-a', title: '审批科科长' },
  { id: 'K2', name: '乙科长', unitId: 'u-a' },
  { id: 'K3', name: '丙科长', unitId: 'u-b' },
  { id: 'K4', name: '丁科长', unitId: 'u-c' },
  { id: 'K5', name: '戊科长', unitId: 'u-c' },
];
const personCampaign = { ...common, targetKind: 'person', units, targets: people, exemptUnitIds: [] };
const unitCampaign = { ...common, units, exemptUnitIds: [] };
const created = (data: Record<string, unknown>) =>
  fold(appraisalDecider, appraisalDecider.decide(cmd('CreateCampaign', data), appraisalDecider.initialState()));
const createdEvents = (data: Record<string, unknown>): AppraisalEvent[] =>
  appraisalDecider.decide(cmd('CreateCampaign', data), appraisalDecider.initialState());
const rounds: AppraisalEvent[] = ['first', 'second'].flatMap((round) => [
  { type: 'RoundOpened', data: { ...base, round } } as AppraisalEvent,
  { type: 'RoundClosed', data: { ...base, round } } as AppraisalEvent,
]);
const tally = (scores: Record<string, number>, unitOf: (id: string) => string, person = true): TalliedBallot[] =>
  Object.entries(scores).flatMap(([id, score]) =>
    ['first', 'second'].map((round) => ({
      ballotId: `b-${id}-${round}`,
      round,
      unitId: unitOf(id),
      ...(person ? { targetId: id } : {}),
      group: 'public',
      scores: { attitude: round === 'first' ? score : score - 10 },
    })),
  );
const personUnit = (id: string) => people.find((p) => p.id === id)!.unitId;
const issueIds = Object.fromEntries(
  [...people.map((p) => p.id), ...units.map((u) => u.unitId), 'u-d'].map((id) => [id, `issue-${id}`]),
);
const published = (state: AppraisalState) => state.results!;

describe('appraisals of people (targetKind person): ballots name targetId, results rank people', () => {
  it('records the people with their units and titles', () =>
    spec
      .given([])
      .when(cmd('CreateCampaign', personCampaign))
      .thenState((s) => {
        expect(s.definition!.targetKind).toBe('person');
        expect(s.definition!.targets).toEqual(people);
      }));

  it('ranks people over both rounds; the bottom N lose the honours; each gets a rectification issue of their own', () =>
    spec
      .given([...createdEvents(personCampaign), ...rounds])
      .when(
        cmd('PublishResults', {
          ballots: tally({ K1: 90, K2: 70, K3: 80, K4: 60, K5: 60 }, personUnit),
          issueIdFor: Object.fromEntries(people.map((p) => [p.id, `issue-${p.id}`])),
        }),
      )
      .thenState((s) => {
        const { items, issues } = published(s);
        // K4 and K5 tie at 55: the tie goes to the lower code, their unit's code then their id
        expect(items.map((i) => [i.rank, i.targetId, i.unitId, i.score, i.bottom])).toEqual([
          [1, 'K1', 'u-a', 85, false],
          [2, 'K3', 'u-b', 75, false],
          [3, 'K2', 'u-a', 65, false],
          [4, 'K4', 'u-c', 55, true],
          [5, 'K5', 'u-c', 55, true],
        ]);
        expect(items[0]).toMatchObject({ name: '甲科长', title: '审批科科长', code: 'A01/K1' });
        expect(items.filter((i) => i.honoursDisqualified).map((i) => i.targetId)).toEqual(['K4', 'K5']);
        expect(issues).toEqual([
          { unitId: 'u-c', targetId: 'K4', issueId: 'issue-K4', score: 55, bottom: true, lowScore: false },
          { unitId: 'u-c', targetId: 'K5', issueId: 'issue-K5', score: 55, bottom: true, lowScore: false },
        ]);
      }));

  it('exempts people named in exemptTargetIds', () =>
    spec
      .given([...createdEvents({ ...personCampaign, exemptTargetIds: ['K1'] }), ...rounds])
      .when(cmd('PublishResults', { ballots: tally({ K2: 70, K3: 80 }, personUnit), issueIdFor: issueIds }))
      .thenState((s) => {
        expect(published(s).exempt).toEqual(['K1']);
        expect(published(s).unrated).toEqual(['K4', 'K5']);
      }));

  it.each([
    [{ targets: undefined }, 'targets', /targets must be a list/],
    [{ targets: [...people, { ...people[0], name: '又一个' }] }, 'targets[5].id', /K1 is listed twice/],
    [{ targets: [{ ...people[0], unitId: 'u-x' }] }, 'targets[0].unitId', /unit u-x does not take part/],
    [{ targets: [{ ...people[0], id: 'bad id!' }] }, 'targets[0].id', /a person id is/],
    [{ targets: [{ ...people[0], name: '' }] }, 'targets[0].name', /./],
    [{ exemptUnitIds: ['u-a'] }, 'exemptUnitIds', /exempts people: use exemptTargetIds/],
    [{ exemptTargetIds: ['K9'] }, 'exemptTargetIds', /K9 is not a target/],
    [{ targetKind: 'team' }, 'targetKind', /targetKind is one of unit, person/],
  ])('refuses a campaign of people with %j (400 naming %s)', (change, field, message) =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...personCampaign, ...change }))
      .thenThrows(InvalidCommand, message, { field }),
  );

  it('refuses targets on a campaign of units, and exemptTargetIds there', () => {
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...unitCampaign, targets: people }))
      .thenThrows(InvalidCommand, /targets are for a campaign of people/, { field: 'targets' });
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...unitCampaign, exemptTargetIds: ['K1'] }))
      .thenThrows(InvalidCommand, /use exemptUnitIds/, { field: 'exemptTargetIds' });
  });
});

describe('ballots on people', () => {
  const open = (campaign: Record<string, unknown>): AppraisalState =>
    fold(appraisalDecider, [...createdEvents(campaign), { type: 'RoundOpened', data: { ...base, round: 'first' } }]);
  const cast = (campaign: AppraisalState, target: Record<string, unknown>): CastBallot => ({
    type: 'CastBallot',
    data: {
      ballotId: 'b-1',
      campaignId: C,
      round: 'first',
      evaluatorKey: `token:${'a'.repeat(64)}`,
      group: 'public',
      scores: { attitude: 80 },
      campaign,
      ...target,
    },
    meta: { at: AT, actor: { id: 'anonymous', role: 'public' } },
  });

  it('decides a ballot naming targetId and the unit the person belongs to', () => {
    const [event] = ballotDecider.decide(cast(open(personCampaign), { targetId: 'K3' }), { cast: false });
    expect(event.data).toMatchObject({ targetId: 'K3', unitId: 'u-b', value: 80 });
  });

  it.each([
    [{ unitId: 'u-a' }, 'targetId', /ranks people: name the person as targetId/],
    [{ targetId: 'K9' }, 'targetId', /K9 is not a person appraised/],
    [{ targetId: 'K3', unitId: 'u-a' }, 'unitId', /K3 belongs to unit u-b, not u-a/],
  ])('refuses a ballot on people with %j (400 naming %s)', (target, field, message) =>
    ballots
      .given([])
      .when(cast(open(personCampaign), target))
      .thenThrows(InvalidCommand, message, { field }),
  );

  it('refuses a second ballot on the same person in the same round (409)', () => {
    const campaign = open(personCampaign);
    const first = ballotDecider.decide(cast(campaign, { targetId: 'K3' }), { cast: false });
    ballots
      .given(first)
      .when(cast(campaign, { targetId: 'K3' }))
      .thenThrows(
        AlreadyExists,
        /already cast a ballot for K3 in round first; one ballot per evaluator, person and round/,
      );
  });

  it('refuses a ballot on an exempt person', () =>
    ballots
      .given([])
      .when(cast(open({ ...personCampaign, exemptTargetIds: ['K3'] }), { targetId: 'K3' }))
      .thenThrows(InvalidCommand, /K3 is exempt from scoring/, { field: 'targetId' }));

  it('refuses targetId on a campaign of units', () =>
    ballots
      .given([])
      .when(cast(open(unitCampaign), { unitId: 'u-a', targetId: 'K1' }))
      .thenThrows(InvalidCommand, /ranks units: name the unit as unitId/, { field: 'targetId' }));

  it('refuses a ballot on a person once the round is closed (409)', () => {
    const closed = fold(appraisalDecider, [
      ...createdEvents(personCampaign),
      { type: 'RoundOpened', data: { ...base, round: 'first' } },
      { type: 'RoundClosed', data: { ...base, round: 'first' } },
    ]);
    ballots
      .given([])
      .when(cast(closed, { targetId: 'K3' }))
      .thenThrows(IllegalTransition, /closed/);
  });
});

describe('systems (系统): a rank within the system besides the overall rank', () => {
  const systems = [
    { key: 'economy', name: '经济系统', unitIds: ['u-a', 'u-c'] },
    { key: 'social', name: '社会系统', unitIds: ['u-b'] },
  ];
  const fourUnits = [...units, { unitId: 'u-d', code: 'D01' }];

  it('ranks each unit within its system; a unit in no system has none', () =>
    spec
      .given([...createdEvents({ ...unitCampaign, units: fourUnits, systems, bottom: { count: 1 } }), ...rounds])
      .when(
        cmd('PublishResults', {
          ballots: tally({ 'u-a': 70, 'u-b': 90, 'u-c': 80, 'u-d': 60 }, (id) => id, false),
          issueIdFor: Object.fromEntries(fourUnits.map((u) => [u.unitId, `issue-${u.unitId}`])),
        }),
      )
      .thenState((s) =>
        expect(published(s).items.map((i) => [i.unitId, i.rank, i.system, i.systemRank])).toEqual([
          ['u-b', 1, 'social', 1],
          ['u-c', 2, 'economy', 1],
          ['u-a', 3, 'economy', 2],
          ['u-d', 4, null, null],
        ]),
      ));

  it('a person campaign ranks people within their unit’s system', () =>
    spec
      .given([...createdEvents({ ...personCampaign, systems }), ...rounds])
      .when(cmd('PublishResults', { ballots: tally({ K1: 90, K3: 80, K4: 70 }, personUnit), issueIdFor: issueIds }))
      .thenState((s) =>
        expect(published(s).items.map((i) => [i.targetId, i.system, i.systemRank])).toEqual([
          ['K1', 'economy', 1],
          ['K3', 'social', 1],
          ['K4', 'economy', 2],
        ]),
      ));

  it.each([
    [
      [systems[0], { key: 'social', name: '社会系统', unitIds: ['u-b', 'u-a'] }],
      'systems[1].unitIds[1]',
      /unit u-a is already in system economy; a unit belongs to one system/,
    ],
    [[{ key: 'economy', name: '经济', unitIds: ['u-a', 'u-a'] }], 'systems[0].unitIds[1]', /listed twice in system/],
    [[{ key: 'economy', name: '经济', unitIds: ['u-x'] }], 'systems[0].unitIds[0]', /u-x does not take part/],
    [[systems[0], { ...systems[1], key: 'economy' }], 'systems[1].key', /system economy is listed twice/],
    [[{ key: 'Bad Key', name: '经济', unitIds: ['u-a'] }], 'systems[0].key', /short lower-case key/],
    [[{ key: 'economy', name: '经济', unitIds: [] }], 'systems[0].unitIds', /list of 1 to/],
  ])('refuses systems %j (400 naming %s)', (bad, field, message) =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...unitCampaign, systems: bad }))
      .thenThrows(InvalidCommand, message, { field }),
  );
});

describe('exemption earned (exemptFrom): the top N of an earlier published campaign', () => {
  const earlier = (over: Partial<EarlierCampaign> = {}): EarlierCampaign => ({
    campaignId: EARLIER,
    exists: true,
    published: true,
    targetKind: 'unit',
    ranking: ['u-c', 'u-x', 'u-a', 'u-b'],
    ...over,
  });
  const exemptFrom = (top: number, over: Partial<EarlierCampaign> = {}) => ({
    campaignId: EARLIER,
    top,
    earlier: earlier(over),
  });

  it('records which of the earlier top N take part here, and exempts them besides those named', () => {
    const state = created({ ...unitCampaign, exemptUnitIds: ['u-b'], exemptFrom: exemptFrom(2) });
    // u-x was in the earlier top 2 but takes no part here
    expect(state.definition!.exemptFrom).toEqual({ campaignId: EARLIER, top: 2, targetIds: ['u-c'] });
    spec
      .given([...createdEvents({ ...unitCampaign, exemptUnitIds: ['u-b'], exemptFrom: exemptFrom(2) }), ...rounds])
      .when(
        cmd('PublishResults', {
          ballots: tally({ 'u-a': 70, 'u-b': 90, 'u-c': 80 }, (id) => id, false),
          issueIdFor: { 'u-a': 'issue-a' },
        }),
      )
      .thenState((s) => {
        expect(published(s).exempt).toEqual(['u-b', 'u-c']);
        expect(published(s).items.map((i) => i.unitId)).toEqual(['u-a']);
        expect(published(s).ballotsCounted).toBe(2);
      });
  });

  it('refuses a ballot on a unit exempt by an earlier campaign', () =>
    ballots
      .given([])
      .when({
        type: 'CastBallot',
        data: {
          ballotId: 'b',
          campaignId: C,
          round: 'first',
          unitId: 'u-c',
          evaluatorKey: 'user:x',
          group: 'public',
          scores: { attitude: 1 },
          campaign: fold(appraisalDecider, [
            ...createdEvents({ ...unitCampaign, exemptFrom: exemptFrom(1) }),
            { type: 'RoundOpened', data: { ...base, round: 'first' } },
          ]),
        },
        meta: { at: AT, actor: registrar },
      })
      .thenThrows(InvalidCommand, /exempt from scoring/, { field: 'unitId' }));

  it.each([
    [exemptFrom(3, { exists: false }), /does not exist/],
    [exemptFrom(3, { published: false }), /has not published its results/],
    [exemptFrom(3, { targetKind: 'person' }), /ranked persons, not units/],
    [{ ...exemptFrom(3), campaignId: C }, /cannot exempt from itself/],
  ])('refuses exemptFrom %#: 400 naming exemptFrom.campaignId', (value, message) =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...unitCampaign, exemptFrom: value }))
      .thenThrows(InvalidCommand, message, { field: 'exemptFrom.campaignId' }),
  );

  it('refuses a top of 0', () =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...unitCampaign, exemptFrom: exemptFrom(0) }))
      .thenThrows(InvalidCommand, /exemptFrom.top/, { field: 'exemptFrom.top' }));
});

describe('advanced (先进): the top N flagged for the year-end review', () => {
  it('flags the top N ranked, never one in the bottom N', () =>
    spec
      .given([...createdEvents({ ...unitCampaign, advancedTop: 3, bottom: { count: 1 } }), ...rounds])
      .when(
        cmd('PublishResults', {
          ballots: tally({ 'u-a': 70, 'u-b': 90, 'u-c': 80 }, (id) => id, false),
          issueIdFor: { 'u-a': 'issue-a' },
        }),
      )
      .thenState((s) =>
        expect(published(s).items.map((i) => [i.unitId, i.advanced, i.bottom])).toEqual([
          ['u-b', true, false],
          ['u-c', true, false],
          ['u-a', false, true],
        ]),
      ));

  it('leaves results without the flag when advancedTop is 0 (the default)', () =>
    spec
      .given([...createdEvents(unitCampaign), ...rounds])
      .when(cmd('PublishResults', { ballots: tally({ 'u-b': 90 }, (id) => id, false), issueIdFor: issueIds }))
      .thenState((s) => expect(published(s).items[0]).not.toHaveProperty('advanced')));

  it('refuses a negative advancedTop', () =>
    spec
      .given([])
      .when(cmd('CreateCampaign', { ...unitCampaign, advancedTop: -1 }))
      .thenThrows(InvalidCommand, /advancedTop/, { field: 'advancedTop' }));
});
