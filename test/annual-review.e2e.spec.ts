import { DateTime } from 'luxon';
import { startTestApi, TestApi } from './support/api';
import { createUnit, future, registerIssue } from './support/fixtures';
import { logHead } from './support/log-head';
import { waitUntil } from './support/wait';
import { fetchXlsx, XLSX } from './support/xlsx';

type Key = 'A' | 'B' | 'C' | 'D';
type Metric =
  | 'onTimeRate'
  | 'satisfactionRate'
  | 'escalations'
  | 'findings'
  | 'accountability'
  | 'appraisalScore'
  | 'reportsOnTime'
  | 'blackListed';

const ITEMS: { key: string; name: string; weight: number; metric: Metric; better: 'higher' | 'lower' }[] = [
  { key: 'onTime', name: '按期办结率', weight: 0.25, metric: 'onTimeRate', better: 'higher' },
  { key: 'satisfaction', name: '满意率', weight: 0.2, metric: 'satisfactionRate', better: 'higher' },
  { key: 'escalations', name: '升级督办', weight: 0.1, metric: 'escalations', better: 'lower' },
  { key: 'findings', name: '整改不实', weight: 0.1, metric: 'findings', better: 'lower' },
  { key: 'accountability', name: '责任追究', weight: 0.05, metric: 'accountability', better: 'lower' },
  { key: 'appraisal', name: '民主评议', weight: 0.15, metric: 'appraisalScore', better: 'higher' },
  { key: 'reports', name: '按时报送', weight: 0.1, metric: 'reportsOnTime', better: 'higher' },
  { key: 'black', name: '黑榜', weight: 0.05, metric: 'blackListed', better: 'lower' },
];
const BONUSES = [
  { key: 'advanced', name: '评议先进', points: 5, when: 'advanced_in_appraisal' },
  { key: 'red', name: '红榜', points: 2, when: 'red_listed' },
];

/**
 * 年度考核 recomputed in the test: four units given known figures over the API (closures, assessments,
 * escalations, findings, accountability, lists, a published appraisal, a report request), the review defined,
 * and its results checked against a tally and a min-max scoring written here from the README's rule.
 */
describe('the year-end review (年度考核)', () => {
  let api: TestApi;
  const units = {} as Record<Key, string>;
  const year = DateTime.now().setZone('Asia/Shanghai').year;

  beforeAll(async () => {
    api = await startTestApi();
    for (const key of ['A', 'B', 'C', 'D'] as Key[]) units[key] = await createUnit(api, `AR-${key}`, `单位${key}`);
  });
  afterAll(async () => api?.close());

  const post = (
    path: string,
    body: object,
    role: 'registrar' | 'unit_officer' | 'assessor' = 'registrar',
    unit?: Key,
  ) =>
    api
      .as(role, unit ? units[unit] : undefined)
      .post(`/api/v1${path}`)
      .send(body);
  const assigned = async (unit: Key) => {
    const id = await registerIssue(api);
    await post(`/issues/${id}/assign`, {
      leadUnitId: units[unit],
      responsiblePerson: { name: '王五' },
      deadline: future(30),
      mode: 'counterpart',
    }).expect(200);
    return id;
  };
  const resolved = async (unit: Key, verdict: 'satisfied' | 'basically_satisfied') => {
    const id = await assigned(unit);
    await post(`/issues/${id}/result`, { summary: '已整改' }, 'unit_officer', unit).expect(200);
    await post(`/issues/${id}/assessments`, { verdict }, 'assessor').expect(200);
    await post(`/issues/${id}/close`, {}).expect(200);
    return id;
  };

  it('ranks the units by the weighted min-max points of their figures plus bonuses, as recomputed here', async () => {
    // A: one issue closed on time, satisfied, red-listed
    const a1 = await resolved('A', 'satisfied');
    await post(`/issues/${a1}/lists`, { list: 'red', reason: '提前办结，群众满意' }).expect(200);
    // B: one closed satisfied; one assessed unsatisfied (reopened), escalated, a finding, black-listed, a criticism
    await resolved('B', 'satisfied');
    const b2 = await assigned('B');
    await post(`/issues/${b2}/result`, { summary: '已整改' }, 'unit_officer', 'B').expect(200);
    await post(`/issues/${b2}/assessments`, { verdict: 'unsatisfied', newDeadline: future(20) }, 'assessor').expect(
      200,
    );
    await post(`/issues/${b2}/escalations`, { level: 1, reason: '整改不力' }).expect(200);
    await post(`/issues/${b2}/findings`, { kind: 'perfunctory', note: '整改不扎实' }).expect(200);
    await post(`/issues/${b2}/lists`, { list: 'black', reason: '推诿扯皮' }).expect(200);
    await post(`/issues/${b2}/accountability`, {
      measure: 'criticism_notice',
      target: { kind: 'unit', unitId: units.B },
      reason: '推诿扯皮',
    }).expect(200);
    // C: escalated twice, then closed basically satisfied
    const c1 = await assigned('C');
    await post(`/issues/${c1}/escalations`, { level: 1, reason: '进度滞后' }).expect(200);
    await post(`/issues/${c1}/escalations`, { level: 2, reason: '仍未整改' }).expect(200);
    await post(`/issues/${c1}/result`, { summary: '已整改' }, 'unit_officer', 'C').expect(200);
    await post(`/issues/${c1}/assessments`, { verdict: 'basically_satisfied' }, 'assessor').expect(200);
    await post(`/issues/${c1}/close`, {}).expect(200);
    // D: one issue assigned, nothing closed or assessed (its rates are undefined)
    await assigned('D');

    // the year's appraisal: one evaluator scores A 90, B 70, C 80, D 60; the top 1 is advanced
    const campaign = (
      await post('/appraisals', {
        name: `${year}年度民主评议`,
        year,
        unitIds: Object.values(units),
        criteria: [{ key: 'quality', name: '服务质量', weight: 1 }],
        scale: { min: 0, max: 100 },
        groups: [{ key: 'public', name: '群众', weight: 1 }],
        rounds: [{ key: 'r1', name: '评议' }],
        bottomN: 1,
        advancedTop: 1,
      }).expect(201)
    ).body.id as string;
    await post(`/appraisals/${campaign}/evaluators`, { group: 'public', name: '监督员甲', userId: 'ev-1' }).expect(201);
    await post(`/appraisals/${campaign}/rounds/r1/open`, {}).expect(200);
    const scores: Record<Key, number> = { A: 90, B: 70, C: 80, D: 60 };
    for (const key of ['A', 'B', 'C', 'D'] as Key[])
      await api.http
        .post(`/api/v1/appraisals/${campaign}/ballots`)
        .set('Authorization', `Bearer ${api.token('assessor', undefined, 'ev-1')}`)
        .send({ round: 'r1', unitId: units[key], scores: { quality: scores[key] } })
        .expect(201);
    await post(`/appraisals/${campaign}/rounds/r1/close`, {}).expect(200);
    const published = await post(`/appraisals/${campaign}/publish`, {}).expect(200);
    // 先进 as the published appraisal flags it (advancedTop: 1 — the top unit, A, when the campaign supports it)
    const appraisal = (
      await api
        .as('registrar')
        .get(`/api/v1/appraisals/${campaign}/results?minPosition=${published.body.position}`)
        .expect(200)
    ).body.items as { unitId: string; score: number; advanced?: boolean }[];
    expect(appraisal.map((i) => [i.unitId, i.score])).toEqual([
      [units.A, 90],
      [units.C, 80],
      [units.B, 70],
      [units.D, 60],
    ]);
    const advanced = (key: Key) => appraisal.find((i) => i.unitId === units[key])?.advanced === true;
    expect(['B', 'C', 'D'].filter((k) => advanced(k as Key))).toEqual([]);

    // a report due in two seconds: A on time, B late, C and D missing
    const dueAt = new Date(Date.now() + 2000).toISOString();
    const request = (
      await post('/report-requests', {
        title: '年度工作报告',
        kind: 'annual',
        unitIds: Object.values(units),
        dueDate: dueAt,
      }).expect(201)
    ).body.id as string;
    await post(
      `/report-requests/${request}/reports`,
      { unitId: units.A, text: '年度工作报告' },
      'unit_officer',
      'A',
    ).expect(201);
    await waitUntil(() => Date.now() > Date.parse(dueAt) + 50, 'the due time to pass');
    const late = await post(
      `/report-requests/${request}/reports`,
      { unitId: units.B, text: '年度工作报告（补报）' },
      'unit_officer',
      'B',
    ).expect(201);

    // the review
    const head = await logHead(api);
    const unbalanced = await post('/annual-reviews', {
      year,
      items: ITEMS.map((i) => ({ ...i, weight: i.key === 'onTime' ? 0.3 : i.weight })),
    }).expect(400);
    expect(unbalanced.body.errors).toEqual([{ field: 'items', messages: [expect.stringMatching(/sum to 1/)] }]);
    const badMetric = await post('/annual-reviews', {
      year,
      items: [{ key: 'x', name: 'x', weight: 1, metric: 'speed', better: 'higher' }],
      bonuses: [{ key: 'y', name: 'y', points: 1, when: 'always' }],
    }).expect(400);
    expect((badMetric.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual([
      'bonuses[0].when',
      'items[0].metric',
    ]);
    await post('/annual-reviews', { year, items: ITEMS, bonuses: BONUSES }, 'unit_officer', 'A').expect(403);
    expect(await logHead(api)).toBe(head);
    const created = await post('/annual-reviews', { year, items: ITEMS, bonuses: BONUSES })
      .set('Idempotency-Key', 'annual-review-1')
      .expect(201);
    expect(created.body.id).toBe(String(year));
    const retried = await post('/annual-reviews', { year, items: ITEMS, bonuses: BONUSES })
      .set('Idempotency-Key', 'annual-review-1')
      .expect(201);
    expect(retried.body).toEqual(created.body);
    const again = await post('/annual-reviews', { year, items: ITEMS, bonuses: BONUSES }).expect(409);
    expect(again.body.detail).toMatch(/already defined/);

    // the figures the test made, and the scoring rule written out again here
    const raw: Record<Key, Record<Metric, number | null> & { red: boolean; advanced: boolean }> = {
      A: {
        onTimeRate: 1,
        satisfactionRate: 1,
        escalations: 0,
        findings: 0,
        accountability: 0,
        appraisalScore: 90,
        reportsOnTime: 1,
        blackListed: 0,
        red: true,
        advanced: advanced('A'),
      },
      B: {
        onTimeRate: 1,
        satisfactionRate: 0.5,
        escalations: 1,
        findings: 1,
        accountability: 1,
        appraisalScore: 70,
        reportsOnTime: 0,
        blackListed: 1,
        red: false,
        advanced: false,
      },
      C: {
        onTimeRate: 1,
        satisfactionRate: 1,
        escalations: 2,
        findings: 0,
        accountability: 0,
        appraisalScore: 80,
        reportsOnTime: 0,
        blackListed: 0,
        red: false,
        advanced: false,
      },
      D: {
        onTimeRate: null,
        satisfactionRate: null,
        escalations: 0,
        findings: 0,
        // the appraisal's bottom unit: publishing records 取消当年评优提拔资格 (honours_disqualification) on its issue
        accountability: 1,
        appraisalScore: 60,
        reportsOnTime: 0,
        blackListed: 0,
        red: false,
        advanced: false,
      },
    };
    const keys: Key[] = ['A', 'B', 'C', 'D'];
    const pointsOf = (metric: Metric, better: 'higher' | 'lower', key: Key) => {
      const known = keys.map((k) => raw[k][metric]).filter((v): v is number => v !== null);
      const [lo, hi] = [Math.min(...known), Math.max(...known)];
      const v = raw[key][metric];
      if (v === null || lo === hi) return 100;
      return better === 'higher' ? ((v - lo) / (hi - lo)) * 100 : ((hi - v) / (hi - lo)) * 100;
    };
    const expected = keys
      .map((key) => {
        const bonus = (raw[key].advanced ? 5 : 0) + (raw[key].red ? 2 : 0);
        const weighted = ITEMS.reduce((s, i) => s + i.weight * pointsOf(i.metric, i.better, key), 0);
        return { key, code: `AR-${key}`, score: weighted + bonus, bonus };
      })
      .sort((x, y) => y.score - x.score || x.code.localeCompare(y.code));

    const results = (
      await api
        .as('auditor')
        .get(`/api/v1/annual-reviews/${year}/results?minPosition=${late.body.position}`)
        .expect(200)
    ).body;
    expect(results.items.map((i: { unitId: string; rank: number }) => [i.rank, i.unitId])).toEqual(
      expected.map((e, n) => [n + 1, units[e.key]]),
    );
    for (const [n, e] of expected.entries()) {
      const item = results.items[n];
      expect(item.score).toBeCloseTo(e.score, 6);
      expect(item.bonus).toBe(e.bonus);
      for (const i of ITEMS) {
        expect({ unit: e.key, item: i.key, value: item.byItem[i.key].value }).toEqual({
          unit: e.key,
          item: i.key,
          value: raw[e.key][i.metric],
        });
        expect(item.byItem[i.key].points).toBeCloseTo(pointsOf(i.metric, i.better, e.key), 6);
      }
    }

    // the same table as CSV and XLSX
    const csv = await api
      .as('registrar')
      .get(`/api/v1/annual-reviews/${year}/results.csv?lang=en`)
      .expect(200)
      .expect('content-type', /text\/csv/);
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toMatch(/^rank,unit code,unit,unit id,score,onTime \(on-time rate\),onTime points/);
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 2))).toEqual(
      expected.map((e, n) => [String(n + 1), e.code]),
    );
    const book = await fetchXlsx(api.as('registrar').get(`/api/v1/annual-reviews/${year}/results`).set('Accept', XLSX));
    expect(book.header.slice(0, 5)).toEqual(['排名', '单位代码', '单位名称', '单位ID', '综合得分']);
    expect(book.rows.map((r) => [r[0], r[1], r[4]])).toEqual(
      results.items.map((i: { rank: number; code: string; score: number }) => [i.rank, i.code, i.score]),
    );
  });

  it('reads: 404 for a year without a review or a path that is no year; a unit officer may not read the ranking', async () => {
    await api.as('registrar').get('/api/v1/annual-reviews/2031/results').expect(404);
    await api.as('registrar').get('/api/v1/annual-reviews/twenty/results').expect(404);
    await api.as('registrar').get('/api/v1/annual-reviews/1999').expect(404);
    await api.as('unit_officer', units.A).get(`/api/v1/annual-reviews/${year}/results`).expect(403);
    const definition = (await api.as('auditor').get(`/api/v1/annual-reviews/${year}`).expect(200)).body;
    expect(definition).toMatchObject({ year, items: ITEMS, bonuses: BONUSES, unitIds: null });
  });
});
