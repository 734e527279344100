import { parse } from 'csv-parse/sync';
import { ReadModelService } from '../apps/api/src/read-model/read-model.service';
import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';

/** A deterministic PRNG (mulberry32): the same ballots every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CRITERIA = [
  { key: 'attitude', name: '工作作风', weight: 0.6 },
  { key: 'efficiency', name: '工作效率', weight: 0.4 },
];
const GROUPS = [
  { key: 'public', name: '服务对象', weight: 0.6 },
  { key: 'internal', name: '机关干部', weight: 0.4 },
];
/** per token: under RATE_LIMIT_BALLOTS_PER_BALLOT_TOKEN (300 a minute) */
const TOKENS_PER_GROUP = 4;
const BOTTOM = 5;

interface Ballot {
  round: string;
  target: string;
  group: string;
  scores: Record<string, number>;
}
interface Item {
  rank: number;
  targetId: string;
  unitId: string;
  name?: string;
  title?: string;
  code: string;
  score: number;
  bottom: boolean;
  honoursDisqualified: boolean;
  system?: string | null;
  systemRank?: number | null;
  advanced?: boolean;
  issueIds: string[];
}

/**
 * The independent tally (DESIGN.md §7, as the README states it): a group's figure is the mean of its ballots'
 * criterion-weighted values over all rounds, a target's score the group-weighted mean of its groups' figures;
 * ranked by score descending, ties by code ascending.
 */
function tally(ballots: Ballot[], codeOf: (target: string) => string) {
  const sums = new Map<string, Map<string, { sum: number; n: number }>>();
  for (const b of ballots) {
    const value = CRITERIA.reduce((s, c) => s + c.weight * b.scores[c.key], 0);
    const byGroup = sums.get(b.target) ?? new Map();
    sums.set(b.target, byGroup);
    const acc = byGroup.get(b.group) ?? { sum: 0, n: 0 };
    byGroup.set(b.group, acc);
    acc.sum += value;
    acc.n++;
  }
  const scored = [...sums].map(([target, byGroup]) => {
    let weight = 0;
    let score = 0;
    for (const [group, { sum, n }] of byGroup) {
      const w = GROUPS.find((g) => g.key === group)!.weight;
      weight += w;
      score += (w * sum) / n;
    }
    return { target, score: score / weight, code: codeOf(target) };
  });
  return scored.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** Sends the ballots over HTTP, `lanes` at a time, each group's ballots spread over its tokens. */
async function castAll(
  api: TestApi,
  campaignId: string,
  ballots: Ballot[],
  tokens: Record<string, string[]>,
  kind: 'unit' | 'person',
) {
  let next = 0;
  const counters: Record<string, number> = {};
  const lane = async () => {
    while (next < ballots.length) {
      const b = ballots[next++];
      const i = (counters[`${b.group}|${b.round}|${b.target}`] =
        (counters[`${b.group}|${b.round}|${b.target}`] ?? -1) + 1);
      const spread = (tokens[b.group].length + Object.keys(counters).length + i) % tokens[b.group].length;
      const token = tokens[b.group][spread];
      const target = kind === 'person' ? { targetId: b.target } : { unitId: b.target };
      const res = await api.http
        .post(`/api/v1/appraisals/${campaignId}/ballots`)
        .send({ round: b.round, ...target, scores: b.scores, token });
      if (res.status !== 201) throw new Error(`ballot answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
}

describe('appraisals as the seeds run them: people, systems, exemption earned, advanced', () => {
  let api: TestApi;
  const registrar = (path: string, body: object = {}) =>
    api.as('registrar').post(`/api/v1/appraisals${path}`).send(body);
  const tokensFor = async (campaignId: string) => {
    const tokens: Record<string, string[]> = {};
    for (const g of GROUPS)
      tokens[g.key] = (
        await registrar(`/${campaignId}/ballot-tokens`, { group: g.key, count: TOKENS_PER_GROUP }).expect(201)
      ).body.tokens;
    return tokens;
  };
  const results = async (campaignId: string, position = 0) =>
    (await api.as('registrar').get(`/api/v1/appraisals/${campaignId}/results?minPosition=${position}`).expect(200))
      .body as { items: Item[]; exempt: string[]; unrated: string[]; ballotsCounted: number; targetKind: string };
  const expectProblem = (
    res: { status: number; body: { errors?: { field: string }[] } },
    status: number,
    field?: string,
  ) => {
    expect(res.status).toBe(status);
    if (field) expect(res.body.errors?.map((e) => e.field)).toContain(field);
  };

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api?.close());

  describe('Baoji: 189 section chiefs (科长), 2 rounds, the bottom 5 lose the year’s honours', () => {
    const UNITS = 21;
    const CHIEFS = 189;
    const units: { id: string; code: string }[] = [];
    const chiefs: { id: string; name: string; unitId: string; title: string }[] = [];
    const sent: Ballot[] = [];
    let campaignId: string;
    const random = prng(20261202);

    beforeAll(async () => {
      for (let u = 0; u < UNITS; u++) {
        const code = `BJ${String(u + 1).padStart(2, '0')}`;
        units.push({ id: await createUnit(api, code, `宝鸡市第${u + 1}局`), code });
      }
      for (let k = 0; k < CHIEFS; k++)
        chiefs.push({
          id: `KZ-${String(k + 1).padStart(3, '0')}`,
          name: `科长${k + 1}`,
          unitId: units[k % UNITS].id,
          title: `第${(k % 9) + 1}科科长`,
        });
    }, 60_000);

    it('refuses bad definitions with 400 naming the field', async () => {
      const body = {
        name: '科长评议',
        year: 2026,
        targetKind: 'person',
        criteria: CRITERIA,
        scale: { min: 0, max: 100 },
        groups: GROUPS,
        rounds: [{ key: 'first', name: '第一轮' }],
        bottomN: BOTTOM,
      };
      expectProblem(await registrar('', body), 400, 'targets');
      expectProblem(
        await registrar('', { ...body, targets: [{ ...chiefs[0], unitId: '99999999-9999-4999-8999-999999999999' }] }),
        400,
        'targets[0].unitId',
      );
      expectProblem(await registrar('', { ...body, targets: [chiefs[0], chiefs[0]] }), 400, 'targets[1].id');
      expectProblem(await registrar('', { ...body, targets: [{ ...chiefs[0], id: 'has space' }] }), 400);
      expectProblem(await registrar('', { ...body, targetKind: 'team', targets: [chiefs[0]] }), 400, 'targetKind');
      expectProblem(
        await registrar('', { ...body, targets: [chiefs[0]], exemptTargetIds: ['KZ-999'] }),
        400,
        'exemptTargetIds',
      );
    });

    it('ranks the people over both rounds as an independent tally does; the bottom 5 lose the honours', async () => {
      const created = await registrar('', {
        name: '2026年度科长民主评议',
        year: 2026,
        targetKind: 'person',
        targets: chiefs,
        criteria: CRITERIA,
        scale: { min: 0, max: 100 },
        groups: GROUPS,
        rounds: [
          { key: 'first', name: '第一轮' },
          { key: 'second', name: '第二轮' },
        ],
        bottomN: BOTTOM,
      }).expect(201);
      campaignId = created.body.id;
      const tokens = await tokensFor(campaignId);
      for (const round of ['first', 'second']) {
        await registrar(`/${campaignId}/rounds/${round}/open`).expect(200);
        // one ballot per chief and round, from one group in one round and the other in the other
        const ballots = chiefs.map((c, k) => ({
          round,
          target: c.id,
          group: GROUPS[(k + (round === 'first' ? 0 : 1)) % GROUPS.length].key,
          scores: Object.fromEntries(CRITERIA.map((cr) => [cr.key, Math.round(96 - (k % 60) * 0.3 - random() * 25)])),
        }));
        if (round === 'first') {
          // the wrong way to name a person, and a person who is not a target: 400 naming the field, nothing cast
          const bad = { round, scores: ballots[0].scores, token: tokens.public[0] };
          const byUnit = await api.http
            .post(`/api/v1/appraisals/${campaignId}/ballots`)
            .send({ ...bad, unitId: units[0].id });
          expectProblem(byUnit, 400, 'targetId');
          const unknown = await api.http
            .post(`/api/v1/appraisals/${campaignId}/ballots`)
            .send({ ...bad, targetId: 'KZ-999' });
          expectProblem(unknown, 400, 'targetId');
        }
        await castAll(api, campaignId, ballots, tokens, 'person');
        sent.push(...ballots);
        await registrar(`/${campaignId}/rounds/${round}/close`).expect(200);
      }
      // a ballot after the round closed: 409 with advice
      const late = await api.http
        .post(`/api/v1/appraisals/${campaignId}/ballots`)
        .send({ round: 'second', targetId: chiefs[0].id, scores: sent[0].scores, token: tokens.public[1] });
      expect(late.status).toBe(409);
      expect(late.body.detail).toMatch(/closed/);

      const published = await registrar(`/${campaignId}/publish`).expect(200);
      const r = await results(campaignId, published.body.position);
      const codeOf = (id: string) => {
        const chief = chiefs.find((c) => c.id === id)!;
        return `${units.find((u) => u.id === chief.unitId)!.code}/${id}`;
      };
      const expected = tally(sent, codeOf);
      expect(r.targetKind).toBe('person');
      expect(r.ballotsCounted).toBe(sent.length);
      expect(r.items.map((i) => i.targetId)).toEqual(expected.map((e) => e.target));
      r.items.forEach((item, i) => expect(item.score).toBeCloseTo(expected[i].score, 9));
      const bottom = expected.slice(-BOTTOM).map((e) => e.target);
      expect(r.items.filter((i) => i.bottom).map((i) => i.targetId)).toEqual(bottom);
      expect(r.items.filter((i) => i.honoursDisqualified).map((i) => i.targetId)).toEqual(bottom);
      const first = chiefs.find((c) => c.id === r.items[0].targetId)!;
      expect(r.items[0]).toMatchObject({ rank: 1, name: first.name, title: first.title, unitId: first.unitId });

      // each bottom chief: a rectification issue of their own, assigned to their unit, the honours measure naming them
      expect(published.body.issueIds).toHaveLength(BOTTOM);
      for (const item of r.items.filter((i) => i.bottom)) {
        expect(item.issueIds).toHaveLength(1);
        const issue = (await api.as('registrar').get(`/api/v1/issues/${item.issueIds[0]}`).expect(200)).body;
        const chief = chiefs.find((c) => c.id === item.targetId)!;
        expect(issue).toMatchObject({ status: 'assigned', leadUnitId: chief.unitId });
        expect(issue.title).toContain(chief.name);
        expect(issue.accountability).toEqual([
          expect.objectContaining({
            measure: 'honours_disqualification',
            target: expect.objectContaining({ kind: 'person', name: chief.name, unitId: chief.unitId }),
          }),
        ]);
      }
    }, 120_000);

    it('the CSV names each person; a unit officer sees their own unit’s people only', async () => {
      const csv = await api.as('auditor').get(`/api/v1/appraisals/${campaignId}/results.csv`).expect(200);
      const rows = parse(csv.text.slice(1), { columns: true }) as Record<string, string>[];
      expect(rows).toHaveLength(CHIEFS);
      expect(Object.keys(rows[0]).slice(0, 4)).toEqual(['排名', '人员编号', '姓名', '职务']);
      expect(rows.filter((row) => row['取消当年评优提拔资格'] === '是')).toHaveLength(BOTTOM);
      const own = (
        await api.as('unit_officer', units[3].id).get(`/api/v1/appraisals/${campaignId}/results`).expect(200)
      ).body.items as Item[];
      expect(own.map((i) => i.targetId).sort()).toEqual(
        chiefs
          .filter((c) => c.unitId === units[3].id)
          .map((c) => c.id)
          .sort(),
      );
    });
  });

  describe('Hexi: 136 units in 9 systems, 3 exempt by the previous campaign’s top 3, the top 10 advanced', () => {
    const UNITS = 136;
    const SYSTEMS = 9;
    const units: { id: string; code: string }[] = [];
    const systemOf = (u: number) => Math.floor((u * SYSTEMS) / UNITS);
    let previousId: string;
    let previousTop: string[];
    let campaignId: string;
    const random = prng(136009);
    const definition = () => ({
      name: '2026年度河西区民主评议',
      year: 2026,
      unitIds: units.map((u) => u.id),
      criteria: CRITERIA,
      scale: { min: 0, max: 100 },
      groups: GROUPS,
      rounds: [{ key: 'external', name: '外部评议' }],
      bottomN: BOTTOM,
      advancedTop: 10,
      systems: Array.from({ length: SYSTEMS }, (_, s) => ({
        key: `system-${s + 1}`,
        name: `第${s + 1}系统`,
        unitIds: units.filter((_, u) => systemOf(u) === s).map((x) => x.id),
      })),
    });

    beforeAll(async () => {
      for (let u = 0; u < UNITS; u++) {
        const code = `HX${String(u + 1).padStart(3, '0')}`;
        units.push({ id: await createUnit(api, code, `河西区第${u + 1}单位`), code });
      }
      // last year's campaign (12 of the units, one ballot each), published: its top 3 earn the exemption
      const previous = await registrar('', {
        name: '2025年度河西区民主评议',
        year: 2025,
        unitIds: units.slice(0, 12).map((u) => u.id),
        criteria: CRITERIA,
        scale: { min: 0, max: 100 },
        groups: GROUPS,
        rounds: [{ key: 'external', name: '外部评议' }],
        bottomN: 0,
      }).expect(201);
      previousId = previous.body.id;
      const tokens = await tokensFor(previousId);
      await registrar(`/${previousId}/rounds/external/open`).expect(200);
      const ballots = units.slice(0, 12).map((u, i) => ({
        round: 'external',
        target: u.id,
        group: 'public',
        scores: { attitude: 60 + ((i * 7) % 12) * 3, efficiency: 70 },
      }));
      await castAll(api, previousId, ballots, tokens, 'unit');
      await registrar(`/${previousId}/rounds/external/close`).expect(200);
      const published = await registrar(`/${previousId}/publish`).expect(200);
      previousTop = (await results(previousId, published.body.position)).items.slice(0, 3).map((i) => i.unitId);
    }, 120_000);

    it('refuses bad definitions with 400 naming the field', async () => {
      const body = definition();
      const twice = body.systems.map((s, i) =>
        i === 1 ? { ...s, unitIds: [...s.unitIds, body.systems[0].unitIds[0]] } : s,
      );
      expectProblem(
        await registrar('', { ...body, systems: twice }),
        400,
        `systems[1].unitIds[${twice[1].unitIds.length - 1}]`,
      );
      const outsider = body.systems.map((s, i) =>
        i === 0 ? { ...s, unitIds: [...s.unitIds, '99999999-9999-4999-8999-999999999999'] } : s,
      );
      expectProblem(
        await registrar('', { ...body, systems: outsider }),
        400,
        `systems[0].unitIds[${outsider[0].unitIds.length - 1}]`,
      );
      // a campaign still running earns no exemption; neither does one that does not exist
      const running = (await registrar('', { ...body, name: '未发布的评议' }).expect(201)).body.id;
      const notPublished = await registrar('', { ...body, exemptFrom: { campaignId: running, top: 3 } });
      expectProblem(notPublished, 400, 'exemptFrom.campaignId');
      expect(notPublished.body.detail).toMatch(/has not published its results/);
      expectProblem(
        await registrar('', { ...body, exemptFrom: { campaignId: '99999999-9999-4999-8999-999999999999', top: 3 } }),
        400,
        'exemptFrom.campaignId',
      );
      expectProblem(
        await registrar('', { ...body, exemptFrom: { campaignId: previousId, top: 0 } }),
        400,
        'exemptFrom.top',
      );
      expectProblem(await registrar('', { ...body, advancedTop: -1 }), 400, 'advancedTop');
      expectProblem(await registrar('', { ...body, unitIds: undefined }), 400, 'unitIds');
    });

    it('ranks overall and within each system as an independent tally does; the earned exemptions and the top 10 advanced', async () => {
      campaignId = (
        await registrar('', { ...definition(), exemptFrom: { campaignId: previousId, top: 3 } }).expect(201)
      ).body.id;
      const tokens = await tokensFor(campaignId);
      await registrar(`/${campaignId}/rounds/external/open`).expect(200);
      // an exempt unit takes no ballot (400 naming unitId)
      const exemptBallot = await api.http.post(`/api/v1/appraisals/${campaignId}/ballots`).send({
        round: 'external',
        unitId: previousTop[0],
        scores: { attitude: 80, efficiency: 80 },
        token: tokens.public[0],
      });
      expectProblem(exemptBallot, 400, 'unitId');
      const scored = units.filter((u) => !previousTop.includes(u.id));
      // every unit by the public, every third by the office's own staff too
      const ballots: Ballot[] = scored.flatMap((u, i) =>
        GROUPS.slice(0, i % 3 === 0 ? 2 : 1).map((g) => ({
          round: 'external',
          target: u.id,
          group: g.key,
          scores: Object.fromEntries(CRITERIA.map((c) => [c.key, Math.round(95 - (i % 40) * 0.5 - random() * 20)])),
        })),
      );
      await castAll(api, campaignId, ballots, tokens, 'unit');
      await registrar(`/${campaignId}/rounds/external/close`).expect(200);
      const published = await registrar(`/${campaignId}/publish`).expect(200);
      const r = await results(campaignId, published.body.position);

      const codeOf = (id: string) => units.find((u) => u.id === id)!.code;
      const expected = tally(ballots, codeOf);
      expect(r.exempt.sort()).toEqual([...previousTop].sort());
      expect(r.items).toHaveLength(UNITS - 3);
      expect(r.items.map((i) => i.unitId)).toEqual(expected.map((e) => e.target));
      r.items.forEach((item, i) => expect(item.score).toBeCloseTo(expected[i].score, 9));
      // the rank within the system: the order of the overall ranking among the system's units
      const seen: Record<string, number> = {};
      for (const e of expected) {
        const system = `system-${systemOf(units.findIndex((u) => u.id === e.target)) + 1}`;
        seen[system] = (seen[system] ?? 0) + 1;
        expect(r.items.find((i) => i.unitId === e.target)).toMatchObject({ system, systemRank: seen[system] });
      }
      expect(Object.keys(seen)).toHaveLength(SYSTEMS);
      expect(r.items.filter((i) => i.advanced).map((i) => i.unitId)).toEqual(
        expected.slice(0, 10).map((e) => e.target),
      );
      expect(r.items.filter((i) => i.bottom).map((i) => i.unitId)).toEqual(
        expected.slice(-BOTTOM).map((e) => e.target),
      );

      // the read model keeps each ranked unit's outcome for the year-end review (advanced_in_appraisal)
      const outcomes = api.app
        .get(ReadModelService)
        .db.prepare(
          'SELECT unit_id, rank, system_key, system_rank, advanced FROM appraisal_outcomes WHERE campaign_id = ? ORDER BY rank',
        )
        .all(campaignId) as {
        unit_id: string;
        rank: number;
        system_key: string;
        system_rank: number;
        advanced: number;
      }[];
      expect(outcomes.map((o) => [o.unit_id, o.rank, o.system_key, o.system_rank, o.advanced === 1])).toEqual(
        r.items.map((i) => [i.unitId, i.rank, i.system, i.systemRank, i.advanced]),
      );

      const csv = parse(
        (await api.as('auditor').get(`/api/v1/appraisals/${campaignId}/results.csv?lang=en`).expect(200)).text.slice(1),
        { columns: true },
      ) as Record<string, string>[];
      expect(csv.filter((row) => row['advanced'] === 'yes')).toHaveLength(10);
      expect(csv[0]['system']).toBe(`第${Number(r.items[0].system!.split('-')[1])}系统`);
      expect(csv[0]['rank in system']).toBe('1');
    }, 120_000);

    it('a published campaign refuses more with 409 and advice', async () => {
      const again = await registrar(`/${campaignId}/rounds/external/open`);
      expect(again.status).toBe(409);
      expect(again.body.detail).toMatch(/results are published; start a new campaign/);
    });
  });
});
