import { parse } from 'csv-parse/sync';
import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';
import { fetchXlsx } from './support/xlsx';

/** Six units whose every ballot gives these scores: 庚 and 辛 are the bottom 2, 己 is under the threshold only. */
const UNITS = [
  { code: 'AC01', name: '甲局', score: 90 },
  { code: 'AC02', name: '乙局', score: 85 },
  { code: 'AC03', name: '丙局', score: 75 },
  { code: 'AC04', name: '己局', score: 55 },
  { code: 'AC05', name: '庚局', score: 50 },
  { code: 'AC06', name: '辛局', score: 40 },
];
const THRESHOLD = 60;
const YEAR = 2026;

/** Publishing's consequences (DESIGN.md §7.1): rectification for the bottom N, honours lost, comments read back. */
describe('the consequences of an appraisal campaign', () => {
  let api: TestApi;
  const ids: string[] = [];
  let campaignId: string;
  let tokens: string[];
  let issueIds: string[];
  const evaluatorId = 'named-evaluator-7f3a';

  const registrar = (path: string, body: object = {}) =>
    api.http
      .post(`/api/v1/appraisals${path}`)
      .set('Authorization', `Bearer ${api.token('registrar')}`)
      .send(body);
  const comments = (unit: number, as: { role: 'unit_officer' | 'registrar'; unitId?: string }) =>
    api.as(as.role, as.unitId).get(`/api/v1/appraisals/${campaignId}/comments?unitId=${ids[unit]}`);
  const issue = async (issueId: string) =>
    (await api.as('registrar').get(`/api/v1/issues/${issueId}`).expect(200)).body as {
      revision: number;
      status: string;
      leadUnitId: string;
      description: string;
      accountability: { measure: string; target: object; reason: string }[];
    };

  beforeAll(async () => {
    api = await startTestApi();
    for (const u of UNITS) ids.push(await createUnit(api, u.code, u.name));
    const created = await registrar('', {
      name: `${YEAR}年度民主评议后果测试`,
      year: YEAR,
      unitIds: ids,
      criteria: [{ key: 'attitude', name: '服务态度', weight: 1 }],
      scale: { min: 0, max: 100 },
      groups: [
        { key: 'public', name: '群众', weight: 0.5 },
        { key: 'supervisor', name: '监督员', weight: 0.5 },
      ],
      rounds: [{ key: 'external', name: '外部评议' }],
      bottomN: 2,
      lowScoreThreshold: THRESHOLD,
      rectificationWorkingDays: 20,
    }).expect(201);
    campaignId = created.body.id;
    tokens = (await registrar(`/${campaignId}/ballot-tokens`, { group: 'public', count: 2 }).expect(201)).body.tokens;
    await registrar(`/${campaignId}/evaluators`, { group: 'supervisor', name: '张监督', userId: evaluatorId }).expect(
      201,
    );
    await registrar(`/${campaignId}/rounds/external/open`).expect(200);
    for (const [u, unit] of UNITS.entries()) {
      const scores = { attitude: unit.score };
      for (const [t, token] of tokens.entries())
        await api.http
          .post(`/api/v1/appraisals/${campaignId}/ballots`)
          .send({ round: 'external', unitId: ids[u], scores, comment: `${unit.name}意见${t}`, token })
          .expect(201);
      await api.http
        .post(`/api/v1/appraisals/${campaignId}/ballots`)
        .set('Authorization', `Bearer ${api.token('assessor', undefined, evaluatorId)}`)
        .send({ round: 'external', unitId: ids[u], scores, comment: `${unit.name}监督意见` })
        .expect(201);
    }
  }, 60_000);
  afterAll(async () => api.close());

  it('keeps comments closed until the results are published (409)', async () => {
    await registrar(`/${campaignId}/rounds/external/close`).expect(200);
    const res = await comments(5, { role: 'unit_officer', unitId: ids[5] });
    expect(res.status).toBe(409);
  });

  it('publishing opens a rectification issue for each bottom unit and the one under the threshold', async () => {
    const published = await registrar(`/${campaignId}/publish`).expect(200);
    issueIds = published.body.issueIds;
    const results = (
      await api
        .as('registrar')
        .get(`/api/v1/appraisals/${campaignId}/results?minPosition=${published.body.position}`)
        .expect(200)
    ).body as { items: { unitId: string; bottom: boolean; honoursDisqualified?: boolean; issueIds: string[] }[] };
    const withIssues = results.items.filter((i) => i.issueIds.length > 0).map((i) => i.unitId);
    expect(withIssues).toEqual([ids[3], ids[4], ids[5]]);
    expect(issueIds).toHaveLength(3);
    expect(results.items.filter((i) => i.honoursDisqualified === true).map((i) => i.unitId)).toEqual([ids[4], ids[5]]);
    expect(results.items.filter((i) => i.bottom).map((i) => i.unitId)).toEqual([ids[4], ids[5]]);
    for (const [n, unit] of [3, 4, 5].entries()) {
      const opened = await issue(issueIds[n]);
      expect(opened).toMatchObject({ status: 'assigned', leadUnitId: ids[unit] });
      expect(opened.description).toContain('请对照评议意见限期整改');
    }
  });

  it('records the loss of the year’s honours once on each bottom unit’s issue, and not on the other', async () => {
    for (const n of [1, 2]) {
      const { accountability } = await issue(issueIds[n]);
      expect(accountability).toEqual([
        expect.objectContaining({
          measure: 'honours_disqualification',
          target: { kind: 'unit', unitId: ids[n + 3] },
          reason: `${UNITS[n + 3].name}：排名靠后，取消${YEAR}年度评优提拔资格`,
        }),
      ]);
    }
    expect((await issue(issueIds[0])).accountability).toEqual([]);
  });

  it('the CSV and XLSX results carry the honours disqualification as a column of its own (zh and en headers)', async () => {
    const bottom = [ids[4], ids[5]];
    const zhCsv = (await api.as('auditor').get(`/api/v1/appraisals/${campaignId}/results.csv`).expect(200)).text;
    const zh = parse(zhCsv.slice(1), { columns: true }) as Record<string, string>[];
    expect(zh.map((r) => [r['单位ID'], r['取消当年评优提拔资格']])).toEqual(
      ids.map((id) => [id, bottom.includes(id) ? '是' : '否']),
    );
    const enCsv = (await api.as('auditor').get(`/api/v1/appraisals/${campaignId}/results.csv?lang=en`).expect(200))
      .text;
    const en = parse(enCsv.slice(1), { columns: true }) as Record<string, string>[];
    expect(en.map((r) => [r['unit id'], r['honours disqualified']])).toEqual(
      ids.map((id) => [id, bottom.includes(id) ? 'yes' : 'no']),
    );
    for (const lang of ['zh', 'en'] as const) {
      const xlsx = await fetchXlsx(
        api.as('registrar').get(`/api/v1/appraisals/${campaignId}/results.xlsx?lang=${lang}`),
      );
      const column = xlsx.header.indexOf(lang === 'zh' ? '取消当年评优提拔资格' : 'honours disqualified');
      expect(column).toBeGreaterThan(xlsx.header.indexOf(lang === 'zh' ? '末位' : 'bottom N'));
      expect(xlsx.rows.map((r) => [r[2], r[column]])).toEqual(ids.map((id) => [id, bottom.includes(id)]));
    }
  });

  it('a second publish records nothing more', async () => {
    const before = await Promise.all(issueIds.map(issue));
    const again = await registrar(`/${campaignId}/publish`);
    expect(again.status).toBe(409);
    const after = await Promise.all(issueIds.map(issue));
    expect(after.map((i) => [i.revision, i.accountability.length])).toEqual(
      before.map((i) => [i.revision, i.accountability.length]),
    );
  });

  it("shows a unit's officer their evaluators' comments, naming no evaluator, token or ballot", async () => {
    const res = await comments(5, { role: 'unit_officer', unitId: ids[5] }).expect(200);
    const items = res.body.items as { round: string; comment: string }[];
    expect(items.map((i) => i.comment).sort()).toEqual(['辛局意见0', '辛局意见1', '辛局监督意见'].sort());
    for (const item of items) expect(Object.keys(item).sort()).toEqual(['comment', 'round']);
    expect(items.every((i) => i.round === 'external')).toBe(true);
    for (const secret of [...tokens, evaluatorId, 'ballot', 'token', 'evaluator'])
      expect(res.text).not.toContain(secret);
    // the same order on every read
    expect((await comments(5, { role: 'registrar' }).expect(200)).body.items).toEqual(items);
  });

  it("refuses a unit's officer another unit's comments (403)", async () => {
    await comments(4, { role: 'unit_officer', unitId: ids[5] }).expect(403);
  });
});
