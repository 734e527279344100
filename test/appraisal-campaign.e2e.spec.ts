import { parse } from 'csv-parse/sync';
import { fetchXlsx, XLSX } from './support/xlsx';
import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';

/** A deterministic PRNG (mulberry32), so the campaign's thousands of ballots are the same every run. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const UNITS = 136; // 河西区: 136 units
const EXEMPT = 3;
const CRITERIA = [
  { key: 'attitude', name: '服务态度', weight: 0.3 },
  { key: 'efficiency', name: '办事效率', weight: 0.3 },
  { key: 'quality', name: '服务质量', weight: 0.2 },
  { key: 'integrity', name: '廉洁自律', weight: 0.2 },
];
const GROUPS = [
  { key: 'public', name: '群众', weight: 0.5 },
  { key: 'enterprise', name: '企业', weight: 0.3 },
  { key: 'supervisor', name: '监督员', weight: 0.2 },
];
const THRESHOLD = 70;
const BOTTOM = 5;

interface Sent {
  round: string;
  unitId: string;
  group: string;
  scores: Record<string, number>;
  position: number;
}

/**
 * A campaign at the scale of the seeds (136 units, 3 evaluator groups, 2 rounds, thousands of ballots
 * over real HTTP), checked against an independent computation of DESIGN.md §7's scoring rule.
 */
describe('an appraisal campaign at the scale of the seeds', () => {
  let api: TestApi;
  let units: { id: string; code: string }[];
  let campaignId: string;
  const accepted: Sent[] = [];
  const closedAt: Record<string, number> = {};
  const supervisors = ['sup-1', 'sup-2'];
  let publicTokens: string[];
  let enterpriseTokens: string[];
  const random = prng(20261125);

  const post = (
    path: string,
    body: object,
    role: 'registrar' | 'assessor' | 'auditor' | 'unit_officer' = 'registrar',
    sub?: string,
    unitId?: string,
  ) =>
    api.http
      .post(`/api/v1/appraisals${path}`)
      .set('Authorization', `Bearer ${api.token(role, unitId, sub)}`)
      .send(body);
  const anonymous = (body: object) => api.http.post(`/api/v1/appraisals/${campaignId}/ballots`).send(body);
  /** unit i's quality: later units score lower on average, so the ranking is mostly, not entirely, by index */
  const scoresFor = (i: number) =>
    Object.fromEntries(
      CRITERIA.map((c) => [c.key, Math.max(0, Math.min(100, Math.round(95 - i * 0.25 - random() * 20)))]),
    );

  async function vote(
    round: string,
    voters: {
      key: string;
      group: string;
      send: (body: object) => Promise<{ status: number; body: { position: number } }>;
    }[],
  ) {
    const ranked = units.slice(EXEMPT);
    const jobs: (() => Promise<void>)[] = [];
    for (const voter of voters) {
      ranked.forEach((unit, i) => {
        const scores = scoresFor(i + EXEMPT);
        jobs.push(async () => {
          const res = await voter.send({ round, unitId: unit.id, scores });
          if (res.status !== 201) throw new Error(`ballot answered ${res.status}: ${JSON.stringify(res.body)}`);
          accepted.push({ round, unitId: unit.id, group: voter.group, scores, position: res.body.position });
        });
      });
    }
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < jobs.length) await jobs[next++]();
      }),
    );
  }

  beforeAll(async () => {
    api = await startTestApi();
    units = [];
    for (let i = 0; i < UNITS; i++) {
      const code = `HX${String(i).padStart(3, '0')}`;
      units.push({ id: await createUnit(api, code, `河西区单位${i}`), code });
    }
  }, 60_000);
  afterAll(async () => api.close());

  it('creates the campaign, issues tokens and registers the supervisors', async () => {
    const created = await post('', {
      name: '2026年度河西区民主评议政风行风',
      year: 2026,
      unitIds: units.map((u) => u.id),
      exemptUnitIds: units.slice(0, EXEMPT).map((u) => u.id),
      criteria: CRITERIA,
      scale: { min: 0, max: 100 },
      groups: GROUPS,
      rounds: [
        { key: 'internal', name: '内部评议' },
        { key: 'external', name: '外部评议' },
      ],
      bottomN: BOTTOM,
      lowScoreThreshold: THRESHOLD,
    }).expect(201);
    campaignId = created.body.id;
    publicTokens = (await post(`/${campaignId}/ballot-tokens`, { group: 'public', count: 8 }).expect(201)).body.tokens;
    enterpriseTokens = (await post(`/${campaignId}/ballot-tokens`, { group: 'enterprise', count: 4 }).expect(201)).body
      .tokens;
    expect(new Set([...publicTokens, ...enterpriseTokens]).size).toBe(12);
    for (const [i, sub] of supervisors.entries())
      await post(`/${campaignId}/evaluators`, { group: 'supervisor', name: `监督员${i}`, userId: sub }).expect(201);
    // the log keeps only hashes of the tokens
    const events = (await api.as('auditor').get(`/api/v1/audit/streams/appraisal-${campaignId}`).expect(200)).body
      .events as { type: string; data: { tokenHashes?: string[] } }[];
    const stored = JSON.stringify(events);
    for (const token of publicTokens) expect(stored).not.toContain(token);
    expect(events.filter((e) => e.type === 'BallotTokensIssued').flatMap((e) => e.data.tokenHashes)).toHaveLength(12);
  });

  it('refuses ballots before the round opens, then takes a round of ballots from tokens and supervisors', async () => {
    const early = await anonymous({
      token: publicTokens[0],
      round: 'internal',
      unitId: units[5].id,
      scores: scoresFor(5),
    });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/not open yet/);
    await post(`/${campaignId}/rounds/internal/open`, {}).expect(200);
    await vote('internal', [
      ...publicTokens.map((token) => ({
        key: token,
        group: 'public',
        send: (body: object) => anonymous({ ...body, token }),
      })),
      ...enterpriseTokens
        .slice(0, 2)
        .map((token) => ({ key: token, group: 'enterprise', send: (body: object) => anonymous({ ...body, token }) })),
      ...supervisors.map((sub) => ({
        key: sub,
        group: 'supervisor',
        send: (body: object) => post(`/${campaignId}/ballots`, body, 'assessor', sub),
      })),
    ]);
    expect(accepted.length).toBe((8 + 2 + 2) * (UNITS - EXEMPT));
  }, 120_000);

  it('refuses a second ballot, an exempt unit, an unknown unit or token, a bad score, and voters who are not evaluators', async () => {
    const again = await anonymous({
      token: publicTokens[0],
      round: 'internal',
      unitId: units[10].id,
      scores: scoresFor(10),
    });
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/one ballot per evaluator, unit and round/);
    const exempt = await anonymous({
      token: publicTokens[0],
      round: 'internal',
      unitId: units[0].id,
      scores: scoresFor(0),
    });
    expect(exempt.status).toBe(400);
    expect(exempt.body.detail).toMatch(/免评/);
    expect(
      (
        await anonymous({
          token: publicTokens[0],
          round: 'internal',
          unitId: '00000000-0000-4000-8000-000000000000',
          scores: scoresFor(0),
        })
      ).status,
    ).toBe(400);
    expect(
      (await anonymous({ token: 'x'.repeat(32), round: 'internal', unitId: units[10].id, scores: scoresFor(10) }))
        .status,
    ).toBe(401);
    expect((await anonymous({ round: 'internal', unitId: units[10].id, scores: scoresFor(10) })).status).toBe(401);
    const bad = await anonymous({
      token: enterpriseTokens[3],
      round: 'internal',
      unitId: units[10].id,
      scores: { ...scoresFor(10), attitude: 101 },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('scores.attitude');
    await post(
      `/${campaignId}/ballots`,
      { round: 'internal', unitId: units[10].id, scores: scoresFor(10) },
      'auditor',
    ).expect(403);
    await post(
      `/${campaignId}/ballots`,
      { round: 'internal', unitId: units[10].id, scores: scoresFor(10) },
      'assessor',
      'not-an-evaluator',
    ).expect(403);
    await post(
      `/${campaignId}/ballots`,
      { round: 'internal', unitId: units[10].id, scores: scoresFor(10) },
      'registrar',
    ).expect(403);
  });

  it('a round closes with its tally frozen: a ballot racing the close counts only if committed before it; late ones are refused', async () => {
    const unit = units[20];
    const racing = scoresFor(20);
    const [ballot, close] = await Promise.all([
      anonymous({ token: enterpriseTokens[2], round: 'internal', unitId: unit.id, scores: racing }),
      post(`/${campaignId}/rounds/internal/close`, {}),
    ]);
    expect(close.status).toBe(200);
    closedAt.internal = close.body.position;
    if (ballot.status === 201)
      accepted.push({
        round: 'internal',
        unitId: unit.id,
        group: 'enterprise',
        scores: racing,
        position: ballot.body.position,
      });
    else expect(ballot.status).toBe(409);
    const late = await anonymous({
      token: enterpriseTokens[3],
      round: 'internal',
      unitId: unit.id,
      scores: scoresFor(20),
    });
    expect(late.status).toBe(409);
    expect(late.body.detail).toMatch(/closed \(its tally is frozen\)/);
  });

  it('runs the second round', async () => {
    await post(`/${campaignId}/rounds/external/open`, {}).expect(200);
    await vote('external', [
      ...publicTokens
        .slice(0, 4)
        .map((token) => ({ key: token, group: 'public', send: (body: object) => anonymous({ ...body, token }) })),
      ...enterpriseTokens
        .slice(2)
        .map((token) => ({ key: token, group: 'enterprise', send: (body: object) => anonymous({ ...body, token }) })),
    ]);
    closedAt.external = (await post(`/${campaignId}/rounds/external/close`, {}).expect(200)).body.position;
  }, 120_000);

  it('unit officers see nothing before publication', async () => {
    await api.as('unit_officer', units[50].id).get(`/api/v1/appraisals/${campaignId}/results`).expect(403);
    const provisional = await api.as('registrar').get(`/api/v1/appraisals/${campaignId}/results`).expect(200);
    expect(provisional.body.published).toBe(false);
  });

  it('publishes the ranking DESIGN §7 defines, flags the bottom 5, lists exempt units apart and opens issues under the threshold', async () => {
    const published = await post(`/${campaignId}/publish`, {}).expect(200);
    const results = (
      await api
        .as('registrar')
        .get(`/api/v1/appraisals/${campaignId}/results?minPosition=${published.body.position}`)
        .expect(200)
    ).body;

    // the independent computation: counted = committed before the round closed
    const counted = accepted.filter((b) => b.position < closedAt[b.round]);
    const value = (s: Record<string, number>) => CRITERIA.reduce((sum, c) => sum + c.weight * s[c.key], 0);
    const expected = units
      .slice(EXEMPT)
      .map((u) => {
        const mine = counted.filter((b) => b.unitId === u.id);
        let score = 0;
        let weight = 0;
        for (const g of GROUPS) {
          const values = mine.filter((b) => b.group === g.key).map((b) => value(b.scores));
          if (values.length === 0) continue;
          score += g.weight * (values.reduce((a, b) => a + b, 0) / values.length);
          weight += g.weight;
        }
        return { unitId: u.id, code: u.code, score: score / weight };
      })
      .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));

    expect(results.published).toBe(true);
    expect(results.ballotsCounted).toBe(counted.length);
    expect(results.items.map((i: { unitId: string }) => i.unitId)).toEqual(expected.map((e) => e.unitId));
    results.items.forEach((item: { score: number; rank: number }, i: number) => {
      expect(item.score).toBeCloseTo(expected[i].score, 9);
      expect(item.rank).toBe(i + 1);
    });
    expect(results.items.filter((i: { bottom: boolean }) => i.bottom).map((i: { unitId: string }) => i.unitId)).toEqual(
      expected.slice(-BOTTOM).map((e) => e.unitId),
    );
    expect(results.exempt).toEqual(units.slice(0, EXEMPT).map((u) => u.id));
    expect(results.items.some((i: { unitId: string }) => results.exempt.includes(i.unitId))).toBe(false);

    // one rectification issue (source public_appraisal, lead unit = the unit) per unit under the threshold
    const low = expected.filter((e) => e.score < THRESHOLD);
    expect(low.length).toBeGreaterThan(0);
    expect(published.body.issueIds).toHaveLength(low.length);
    for (const e of low) {
      const item = results.items.find((i: { unitId: string }) => i.unitId === e.unitId);
      expect(item.issueIds).toHaveLength(1);
      expect(item.issues[0].status).toBe('assigned');
      const issue = (await api.as('registrar').get(`/api/v1/issues/${item.issueIds[0]}`).expect(200)).body;
      expect(issue).toMatchObject({
        source: 'public_appraisal',
        leadUnitId: e.unitId,
        status: 'assigned',
        origin: { kind: 'appraisal', campaignId, unitId: e.unitId },
      });
    }
    for (const item of results.items.filter((i: { score: number }) => i.score >= THRESHOLD))
      expect(item.issueIds).toEqual([]);
  });

  it('publishing again changes nothing; nothing more can be voted', async () => {
    const again = await post(`/${campaignId}/publish`, {});
    expect(again.status).toBe(409);
    expect(again.body.detail).toMatch(/results are published/);
    expect(
      (await anonymous({ token: publicTokens[7], round: 'external', unitId: units[30].id, scores: scoresFor(30) }))
        .status,
    ).toBe(409);
  });

  it('a unit officer sees only their own unit’s row; the results download as CSV', async () => {
    const unit = units[60];
    const own = (await api.as('unit_officer', unit.id).get(`/api/v1/appraisals/${campaignId}/results`).expect(200))
      .body;
    expect(own.items.map((i: { unitId: string }) => i.unitId)).toEqual([unit.id]);
    const csv = await api.as('auditor').get(`/api/v1/appraisals/${campaignId}/results.csv`).expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.text.charCodeAt(0)).toBe(0xfeff);
    const rows = parse(csv.text.slice(1), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(UNITS - EXEMPT);
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining(['排名', '单位代码', '综合得分', '群众', '监督员', '服务态度', '末位', '整改问题']),
    );
    expect(rows.filter((r) => r['末位'] === '是')).toHaveLength(BOTTOM);
    const en = parse(
      (await api.as('auditor').get(`/api/v1/appraisals/${campaignId}/results.csv?lang=en`).expect(200)).text.slice(1),
      { columns: true },
    ) as Record<string, string>[];
    expect(Object.keys(en[0])).toContain('weighted score');
  });

  it('the results download as XLSX, cell for cell the JSON results', async () => {
    const json = (await api.as('auditor').get(`/api/v1/appraisals/${campaignId}/results`).expect(200)).body;
    const asRow = (i: {
      rank: number;
      code: string;
      unitId: string;
      score: number;
      byGroup: Record<string, number>;
      byCriterion: Record<string, number>;
      ballots: number;
      bottom: boolean;
      honoursDisqualified: boolean;
      issues: { id: string; status: string }[];
    }) => [
      i.rank,
      i.code,
      i.unitId,
      i.score,
      ...json.groups.map((g: { key: string }) => i.byGroup[g.key] ?? null),
      ...json.criteria.map((c: { key: string }) => i.byCriterion[c.key] ?? null),
      i.ballots,
      i.bottom,
      i.honoursDisqualified,
      i.issues.length ? i.issues.map((x) => `${x.id} (${x.status})`).join('; ') : null,
    ];
    const zh = await fetchXlsx(api.as('auditor').get(`/api/v1/appraisals/${campaignId}/results.xlsx`));
    expect(zh.res.headers['content-type']).toBe(XLSX);
    expect(zh.res.headers['content-disposition']).toBe(`attachment; filename="appraisal-${campaignId}.xlsx"`);
    expect(zh.header).toEqual([
      '排名',
      '单位代码',
      '单位ID',
      '综合得分',
      ...json.groups.map((g: { name: string }) => g.name),
      ...json.criteria.map((c: { name: string }) => c.name),
      '评议票数',
      '末位',
      '取消当年评优提拔资格',
      '整改问题',
    ]);
    expect(zh.rows).toEqual(json.items.map(asRow));
    expect(zh.rows.filter((r) => r[zh.header.indexOf('末位')] === true)).toHaveLength(BOTTOM);
    const en = await fetchXlsx(
      api.as('auditor').get(`/api/v1/appraisals/${campaignId}/results?lang=en`).set('Accept', XLSX),
    );
    expect(en.header.slice(0, 4)).toEqual(['rank', 'unit code', 'unit id', 'weighted score']);
    expect(en.rows).toEqual(zh.rows);
    const unit = units[60];
    const own = await fetchXlsx(api.as('unit_officer', unit.id).get(`/api/v1/appraisals/${campaignId}/results.xlsx`));
    expect(own.rows.map((r) => r[2])).toEqual([unit.id]);
    await api.as('assessor').get(`/api/v1/appraisals/${campaignId}/results.xlsx`).expect(403);
    await api.as('registrar').get('/api/v1/appraisals/not-a-uuid/results.xlsx').expect(404);
    await api.as('registrar').get(`/api/v1/appraisals/${campaignId}/results.pdf`).expect(404);
  });

  it('roles: only registrars run campaigns; assessors and others cannot', async () => {
    for (const role of ['assessor', 'auditor', 'unit_officer'] as const) {
      await post('', {}, role, undefined, role === 'unit_officer' ? units[1].id : undefined).expect(403);
      await post(
        `/${campaignId}/rounds/internal/open`,
        {},
        role,
        undefined,
        role === 'unit_officer' ? units[1].id : undefined,
      ).expect(403);
      await post(
        `/${campaignId}/publish`,
        {},
        role,
        undefined,
        role === 'unit_officer' ? units[1].id : undefined,
      ).expect(403);
    }
    await api.as('assessor').get(`/api/v1/appraisals/${campaignId}/results`).expect(403);
    await api.as('registrar').get('/api/v1/appraisals/not-a-uuid/results').expect(404);
    await api.as('registrar').get('/api/v1/appraisals/00000000-0000-4000-8000-000000000000/results').expect(404);
  });

  it('an auditor replays the campaign and any ballot from the log', async () => {
    const campaign = (await api.as('auditor').get(`/api/v1/audit/streams/appraisal-${campaignId}`).expect(200)).body;
    expect(campaign.state).toMatchObject({
      status: 'published',
      tokens: 12,
      rounds: { internal: 'closed', external: 'closed' },
    });
  });

  it('hostile ballots get a 4xx naming the field, never a 5xx', async () => {
    const good = { token: publicTokens[5], round: 'external', unitId: units[40].id, scores: scoresFor(40) };
    const cases: object[] = [
      { ...good, scores: [1, 2] },
      { ...good, scores: 'high' },
      { ...good, unitId: 'x'.repeat(5000) },
      { ...good, comment: 'x'.repeat(3000) },
      { ...good, extra: true },
      { ...good, token: 'short' },
      { ...good, round: 'DROP TABLE' },
      { ...good, scores: { ...good.scores, attitude: '90' } },
      JSON.parse(`{"__proto__": {"polluted": true}, "round": "external", "unitId": "${units[40].id}", "scores": {}}`),
    ];
    for (const body of cases) {
      const res = await anonymous(body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
  });
});
