import { randomUUID } from 'node:crypto';
import { startTestApi, TestApi } from './support/api';
import { createUnit, future, registerIssue } from './support/fixtures';

/**
 * 公开 under /public/v1: no token, only what was published, and nothing personal in the bytes sent —
 * every name and phone registered below is looked for in each raw answer.
 */
describe('public disclosure (公开) without a token', () => {
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  let campaignId: string;
  let draftCampaignId: string;
  let head = 0;
  const at = <T extends { body: { position: number } }>(res: T) => ((head = Math.max(head, res.body.position)), res);
  const PERSONAL = {
    reporterName: '赵小红',
    reporterPhone: '13912345678',
    responsiblePerson: '钱多多',
    unitHead: '周建国',
    accountablePerson: '吴有德',
    evaluator: '郑监督员',
    ballotComment: '窗口服务态度恶劣',
    registrarId: 'registrar-public-test',
  };
  const PUBLIC_PATHS = () => [
    '/public/v1/lists/red',
    '/public/v1/lists/black',
    '/public/v1/notices',
    `/public/v1/appraisals/${campaignId}/results`,
  ];
  const registrar = () => {
    const bearer = `Bearer ${api.token('registrar', undefined, PERSONAL.registrarId)}`;
    return (url: string, body: object) => api.http.post(url).set('Authorization', bearer).send(body);
  };

  /** An issue of unit `unitId` with a reporter and a responsible person, assigned and, when `accepted`, accepted. */
  async function issueOf(unitId: string, accepted: boolean): Promise<string> {
    const id = await registerIssue(api, {
      title: accepted ? '老旧小区加装电梯审批提速' : '违建拆除推诿扯皮',
      reporter: { name: PERSONAL.reporterName, phone: PERSONAL.reporterPhone },
    });
    await registrar()(`/api/v1/issues/${id}/assign`, {
      leadUnitId: unitId,
      responsiblePerson: { name: PERSONAL.responsiblePerson, title: '科长' },
      deadline: future(10),
      mode: 'counterpart',
    }).expect(200);
    if (accepted) {
      await api.as('unit_officer', unitId).post(`/api/v1/issues/${id}/result`).send({ summary: '已办结' }).expect(200);
      await api.as('assessor').post(`/api/v1/issues/${id}/assessments`).send({ verdict: 'satisfied' }).expect(200);
    }
    return id;
  }

  async function publishedCampaign(publish: boolean): Promise<string> {
    const post = registrar();
    const created = await post('/api/v1/appraisals', {
      name: publish ? '2026年度民主评议' : '未公布的评议',
      year: 2026,
      unitIds: [unitA, unitB],
      criteria: [{ key: 'attitude', name: '服务态度', weight: 1 }],
      scale: { min: 0, max: 100 },
      groups: [{ key: 'public', name: '群众', weight: 1 }],
      rounds: [{ key: 'r1', name: '评议' }],
      bottomN: 1,
    }).expect(201);
    const id = created.body.id as string;
    await post(`/api/v1/appraisals/${id}/evaluators`, { group: 'public', name: PERSONAL.evaluator, userId: 'ev-1' });
    const [token] = (await post(`/api/v1/appraisals/${id}/ballot-tokens`, { group: 'public', count: 1 }).expect(201))
      .body.tokens;
    await post(`/api/v1/appraisals/${id}/rounds/r1/open`, {}).expect(200);
    for (const [unitId, score] of [
      [unitA, 90],
      [unitB, 60],
    ] as const)
      await api.http
        .post(`/api/v1/appraisals/${id}/ballots`)
        .send({ token, round: 'r1', unitId, scores: { attitude: score }, comment: PERSONAL.ballotComment })
        .expect(201);
    at(await post(`/api/v1/appraisals/${id}/rounds/r1/close`, {}).expect(200));
    if (publish) at(await post(`/api/v1/appraisals/${id}/publish`, {}).expect(200));
    return id;
  }

  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'PD-A', '市住建局', { head: { name: PERSONAL.unitHead, title: '局长' } });
    unitB = await createUnit(api, 'PD-B', '市城管局');
    const good = await issueOf(unitA, true);
    const bad = await issueOf(unitB, false);
    const post = registrar();
    at(await post(`/api/v1/issues/${good}/lists`, { list: 'red', reason: '提前办结，群众满意' }).expect(200));
    await post(`/api/v1/issues/${bad}/accountability`, {
      measure: 'criticism_notice',
      target: { kind: 'person', name: PERSONAL.accountablePerson },
      reason: '推诿扯皮',
    }).expect(200);
    at(await post(`/api/v1/issues/${bad}/lists`, { list: 'black', reason: '推诿扯皮，久拖不办' }).expect(200));
    const notice = (title: string, unitIds: string[]) =>
      post('/api/v1/notices', { kind: 'criticism', title, body: '现予通报批评，限期整改。', unitIds, issueIds: [bad] });
    const published = (await notice('关于市城管局推诿扯皮问题的通报', [unitB]).expect(201)).body.id;
    at(await notice('尚未发布的通报草稿', [unitA]).expect(201));
    at(await post(`/api/v1/notices/${published}/publish`, {}).expect(200));
    campaignId = await publishedCampaign(true);
    draftCampaignId = await publishedCampaign(false);
    // the public reads the read model as it stands: let it catch up with everything above first
    await api.as('auditor').get(`/api/v1/lists/red?minPosition=${head}`).expect(200);
  }, 60_000);
  afterAll(async () => api.close());

  it('answers every public endpoint without a token, as JSON', async () => {
    for (const path of PUBLIC_PATHS()) {
      const res = await api.http.get(path);
      expect({ path, status: res.status, type: res.headers['content-type'] }).toEqual({
        path,
        status: 200,
        type: expect.stringMatching(/^application\/json/),
      });
    }
  });

  it('lists the published red and black lists: unit, issue title, reason, date', async () => {
    const red = await api.http.get('/public/v1/lists/red').expect(200);
    expect(red.body.items).toEqual([
      {
        list: 'red',
        unit: { code: 'PD-A', name: '市住建局' },
        issueTitle: '老旧小区加装电梯审批提速',
        reason: '提前办结，群众满意',
        listedAt: expect.any(String),
      },
    ]);
    const black = await api.http.get('/public/v1/lists/black').expect(200);
    expect(black.body.items).toEqual([
      expect.objectContaining({ list: 'black', unit: { code: 'PD-B', name: '市城管局' } }),
    ]);
  });

  it('shows published notices only, with the names of the units they name', async () => {
    const res = await api.http.get('/public/v1/notices').expect(200);
    expect(res.body.items).toEqual([
      {
        id: expect.any(String),
        kind: 'criticism',
        title: '关于市城管局推诿扯皮问题的通报',
        body: '现予通报批评，限期整改。',
        units: [{ code: 'PD-B', name: '市城管局' }],
        publishedAt: expect.any(String),
      },
    ]);
    expect(res.text).not.toContain('尚未发布的通报草稿');
  });

  it("shows a campaign's published results (rank, unit, score, bottom flag) and nothing of one not published", async () => {
    const res = await api.http.get(`/public/v1/appraisals/${campaignId}/results`).expect(200);
    expect(res.body).toEqual({
      campaign: { id: campaignId, name: '2026年度民主评议', year: 2026 },
      items: [
        { rank: 1, unitCode: 'PD-A', unitName: '市住建局', score: 90, bottom: false },
        { rank: 2, unitCode: 'PD-B', unitName: '市城管局', score: 60, bottom: true },
      ],
    });
    for (const id of [draftCampaignId, randomUUID(), 'not-a-uuid']) {
      const refused = await api.http.get(`/public/v1/appraisals/${id}/results`);
      expect({ id, status: refused.status, type: refused.headers['content-type'] }).toEqual({
        id,
        status: 404,
        type: expect.stringMatching(/problem\+json/),
      });
      expect(refused.text).not.toContain('未公布的评议');
    }
  });

  it('sends no reporter, person, phone, evaluator, comment or user id in any answer (the raw bytes)', async () => {
    for (const path of PUBLIC_PATHS()) {
      const { text } = await api.http.get(path).expect(200);
      for (const [what, value] of Object.entries(PERSONAL))
        expect({ path, what, leaked: text.includes(value) }).toEqual({ path, what, leaked: false });
    }
  });

  it('is cacheable: an ETag hashing the body, 304 on If-None-Match, public max-age=60, a new ETag after a change', async () => {
    for (const path of PUBLIC_PATHS()) {
      const first = await api.http.get(path).expect(200);
      expect(first.headers.etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
      expect(first.headers['cache-control']).toBe('public, max-age=60');
      const again = await api.http.get(path).set('If-None-Match', first.headers.etag).expect(304);
      expect(again.text ?? '').toBe('');
      expect(again.headers.etag).toBe(first.headers.etag);
      await api.http.get(path).set('If-None-Match', '"something-else"').expect(200);
    }
    const before = (await api.http.get('/public/v1/notices').expect(200)).headers.etag;
    const created = await registrar()('/api/v1/notices', {
      kind: 'commendation',
      title: '表扬通报',
      body: '办结及时。',
      unitIds: [unitA],
    }).expect(201);
    const published = await registrar()(`/api/v1/notices/${created.body.id}/publish`, {}).expect(200);
    await api.as('auditor').get(`/api/v1/notices?minPosition=${published.body.position}`).expect(200);
    const after = await api.http.get('/public/v1/notices').set('If-None-Match', before).expect(200);
    expect(after.headers.etag).not.toBe(before);
  });

  it('is served outside the API prefix only, and a token is not needed but not refused either', async () => {
    await api.http.get('/api/v1/public/v1/notices').expect(404);
    await api.as('unit_officer', unitA).get('/public/v1/notices').expect(200);
  });
});

describe('public disclosure is rate-limited per address', () => {
  let api: TestApi;
  beforeAll(async () => {
    // the limits are read from the environment when the app is built: set for this API only
    const saved = process.env.RATE_LIMIT_WRITES_PER_ADDRESS;
    process.env.RATE_LIMIT_WRITES_PER_ADDRESS = '3';
    try {
      api = await startTestApi();
    } finally {
      if (saved === undefined) delete process.env.RATE_LIMIT_WRITES_PER_ADDRESS;
      else process.env.RATE_LIMIT_WRITES_PER_ADDRESS = saved;
    }
  });
  afterAll(async () => api.close());

  it('answers 429 problem+json with Retry-After once the address has spent its allowance', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api.http.get('/public/v1/lists/red')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await api.http.get('/public/v1/notices').expect(429);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // reads under the API prefix stay unlimited
    await api.as('auditor').get('/api/v1/lists/red').expect(200);
  });
});
