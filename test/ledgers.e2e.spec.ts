import { parse } from 'csv-parse/sync';
import { LEDGERS, labelledRow, type LedgerName } from '../apps/api/src/ledgers/ledgers';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, issueBody } from './support/fixtures';

describe('the three ledgers (三账): JSON and CSV', () => {
  let api: TestApi;
  let unitA: string;
  let head = 0;
  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'LG-A', '市住建局');
    const unitB = await createUnit(api, 'LG-B', '市交通局');
    const id = await assignedIssue(api, unitA, 10, [unitB]);
    await api
      .as('unit_officer', unitA)
      .post(`/api/v1/issues/${id}/result`)
      .send({ summary: '已整改, "含引号", 含逗号\n含换行' })
      .expect(200);
    await api.as('assessor').post(`/api/v1/issues/${id}/assessments`).send({ verdict: 'satisfied' }).expect(200);
    const closed = await api.as('registrar').post(`/api/v1/issues/${id}/close`).send({}).expect(200);
    await api
      .as('registrar')
      .post('/api/v1/issues')
      .send(issueBody({ title: '另一个问题', reporter: { name: '王某', confidential: false } }))
      .expect(201);
    head = closed.body.position + 1;
  });
  afterAll(async () => api.close());

  it.each(['problems', 'responsibilities', 'rectifications'] as LedgerName[])(
    '%s: the CSV (BOM, Chinese headers) parses back to the JSON rows, coded cells in Chinese',
    async (name) => {
      const json = (await api.as('registrar').get(`/api/v1/ledgers/${name}?minPosition=${head}`).expect(200)).body;
      expect(json.items.length).toBeGreaterThanOrEqual(1);
      const res = await api
        .as('registrar')
        .get(`/api/v1/ledgers/${name}.csv`)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        })
        .expect(200);
      expect(res.headers['content-type']).toMatch(/text\/csv/);
      const body = res.body as Buffer;
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = body.toString('utf8').slice(1);
      const rows: string[][] = parse(text);
      expect(rows[0][0]).toBe('问题编号');
      expect(rows.length - 1).toBe(json.items.length);
      const keys = Object.keys(json.items[0]);
      rows.slice(1).forEach((row, i) => {
        keys.forEach((key, k) => {
          const v = labelledRow(LEDGERS[name], json.items[i], 'zh')[key];
          expect(row[k]).toBe(v === null || v === undefined ? '' : String(v));
        });
      });
      const english = await api
        .as('registrar')
        .get(`/api/v1/ledgers/${name}?lang=en`)
        .set('Accept', 'text/csv')
        .expect(200);
      expect(english.text.slice(1).startsWith('Issue id,')).toBe(true);
    },
  );

  it('keeps RFC 4180 quoting for quotes, commas and newlines, and names units', async () => {
    const rect = (await api.as('registrar').get(`/api/v1/ledgers/rectifications?minPosition=${head}`).expect(200)).body
      .items;
    expect(rect.find((r: { result: string | null }) => r.result?.includes('含引号'))).toMatchObject({
      verdict: 'satisfied',
      closedOnTime: true,
      leadUnit: '市住建局',
    });
    const resp = (await api.as('registrar').get('/api/v1/ledgers/responsibilities').expect(200)).body.items;
    expect(resp.find((r: { leadUnit: string | null }) => r.leadUnit === '市住建局')).toMatchObject({
      coUnits: '市交通局',
    });
  });

  it('hides confidential reporters from those who may not see them, and scopes unit officers', async () => {
    const asAuditor = (await api.as('auditor').get('/api/v1/ledgers/problems').expect(200)).body.items;
    expect(JSON.stringify(asAuditor)).not.toContain('李四');
    expect(JSON.stringify(asAuditor)).toContain('王某');
    const asRegistrar = (await api.as('registrar').get('/api/v1/ledgers/problems').expect(200)).body.items;
    expect(JSON.stringify(asRegistrar)).toContain('李四');
    const officer = (await api.as('unit_officer', unitA).get('/api/v1/ledgers/problems').expect(200)).body.items;
    expect(officer).toHaveLength(1);
    await api.as('registrar').get('/api/v1/ledgers/everything').expect(404);
  });
});
