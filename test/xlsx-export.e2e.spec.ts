import { readdirSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LEDGERS, labelledRow } from '../apps/api/src/ledgers/ledgers';
import { ReadModelService } from '../apps/api/src/read-model/read-model.service';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, issueBody } from './support/fixtures';
import { fetchXlsx, XLSX } from './support/xlsx';

/** What a JSON value becomes in a cell: null and '' are an empty cell; XML cannot carry C0 controls (dropped) nor U+FFFE/U+FFFF (replaced). */
const asCell = (v: unknown) =>
  v === '' || v === undefined
    ? null
    : typeof v === 'string'
      ? // eslint-disable-next-line no-control-regex -- XML 1.0 forbids these characters: the writer drops them, and so does the expectation
        v.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').replace(/[\uFFFE\uFFFF]/g, '\uFFFD')
      : v;

/**
 * Open SQLite connections to the read model in this process, counted by their handles on its write-ahead
 * log (Linux /proc): every connection that has read holds one. (Not the main file's handles: SQLite
 * defers closing those while another connection in the process holds a lock on the file.)
 */
const readModelConnections = (file: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === `${file}-wal`;
    } catch {
      return false;
    }
  }).length;

describe('XLSX downloads: the three ledgers', () => {
  let api: TestApi;
  let unitA: string;
  let head = 0;
  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'XL-A', '市住建局');
    const unitB = await createUnit(api, 'XL-B', '市交通局');
    const id = await assignedIssue(api, unitA, 10, [unitB]);
    await api
      .as('unit_officer', unitA)
      .post(`/api/v1/issues/${id}/result`)
      .send({ summary: '已整改, "含引号", 含逗号\n含换行 <b>A&B</b> "=1"' })
      .expect(200);
    await api.as('assessor').post(`/api/v1/issues/${id}/assessments`).send({ verdict: 'satisfied' }).expect(200);
    await api.as('registrar').post(`/api/v1/issues/${id}/close`).send({}).expect(200);
    await assignedIssue(api, unitB, 5);
    await api
      .as('registrar')
      .post('/api/v1/issues')
      .send(
        issueBody({
          title: '=HYPERLINK("http://evil.example","点我")',
          reporter: { name: '王某', confidential: false },
        }),
      )
      .expect(201);
    const last = await api
      .as('registrar')
      .post('/api/v1/issues')
      .send(issueBody({ title: '控制字符\u0001与\uFFFE非字符', location: '-2+3' }))
      .expect(201);
    head = last.body.position;
  });
  afterAll(async () => api.close());

  it.each(['problems', 'responsibilities', 'rectifications'] as const)(
    '%s.xlsx: Chinese headers, typed cells equal to the JSON rows in Chinese, bold frozen header',
    async (name) => {
      const json = (await api.as('registrar').get(`/api/v1/ledgers/${name}?minPosition=${head}`).expect(200)).body;
      expect(json.items.length).toBe(4);
      const { res, sheet, header, rows } = await fetchXlsx(api.as('registrar').get(`/api/v1/ledgers/${name}.xlsx`));
      expect(res.headers['content-type']).toBe(XLSX);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="${name}-ledger.xlsx"`);
      expect(header).toEqual(LEDGERS[name].columns.map((c) => c.zh));
      expect(header[0]).toBe('问题编号');
      expect(sheet.name).toBe(LEDGERS[name].sheet.zh);
      const keys = Object.keys(json.items[0]);
      expect(keys).toEqual(LEDGERS[name].columns.map((c) => c.key));
      const inLanguage = (lang: 'zh' | 'en') =>
        json.items.map((item: Record<string, unknown>) =>
          keys.map((k) => asCell(labelledRow(LEDGERS[name], item, lang)[k])),
        );
      expect(rows).toEqual(inLanguage('zh'));
      // the header is bold and frozen, the widths follow the definitions
      expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
      expect(sheet.getRow(2).getCell(1).font?.bold).toBeFalsy();
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(sheet.getColumn(1).width).toBe(38);

      // English headers with ?lang=en, asked for by Accept on the plain name
      const en = await fetchXlsx(api.as('registrar').get(`/api/v1/ledgers/${name}?lang=en`).set('Accept', XLSX));
      expect(en.res.headers['content-type']).toBe(XLSX);
      expect(en.header).toEqual(LEDGERS[name].columns.map((c) => c.en));
      expect(en.header[0]).toBe('Issue id');
      expect(en.sheet.name).toBe(LEDGERS[name].sheet.en);
      expect(en.rows).toEqual(inLanguage('en'));
    },
  );

  it("numbers are real cells, yes/no is in the ledger's language; formulas and markup stay text", async () => {
    const rect = await fetchXlsx(api.as('registrar').get('/api/v1/ledgers/rectifications.xlsx?lang=en'));
    const col = (h: string) => rect.header.indexOf(h);
    const closed = rect.rows.find((r) => typeof r[col('Result')] === 'string')!;
    expect(closed[col('Result')]).toBe('已整改, "含引号", 含逗号\n含换行 <b>A&B</b> "=1"');
    expect(closed[col('Closed on time')]).toBe('Yes');
    expect(closed[col('Assessments')]).toBe(1);
    expect(closed[col('Lead unit')]).toBe('市住建局');
    const resp = await fetchXlsx(api.as('registrar').get('/api/v1/ledgers/responsibilities.xlsx?lang=en'));
    const overdue = resp.header.indexOf('Overdue');
    expect(resp.rows.map((r) => r[overdue])).toEqual(['No', 'No', 'No', 'No']);
    expect(resp.rows.every((r) => typeof r[resp.header.indexOf('Escalation level')] === 'number')).toBe(true);
    const problems = await fetchXlsx(api.as('registrar').get('/api/v1/ledgers/problems.xlsx?lang=en'));
    const title = problems.sheet.getRow(4).getCell(problems.header.indexOf('Title') + 1);
    expect(title.value).toBe('=HYPERLINK("http://evil.example","点我")');
    expect(title.formula).toBeUndefined();
    expect(problems.rows[3][problems.header.indexOf('Title')]).toBe('控制字符与\uFFFD非字符');
  });

  it('unit officers get their unit’s rows only; confidential reporters are hidden from those who may not see them', async () => {
    const officerJson = (await api.as('unit_officer', unitA).get('/api/v1/ledgers/problems').expect(200)).body.items;
    expect(officerJson).toHaveLength(1);
    const officer = await fetchXlsx(api.as('unit_officer', unitA).get('/api/v1/ledgers/problems.xlsx'));
    expect(officer.rows).toEqual(
      officerJson.map((item: Record<string, unknown>) =>
        Object.values(labelledRow(LEDGERS.problems, item, 'zh')).map(asCell),
      ),
    );
    const reporter = LEDGERS.problems.columns.findIndex((c) => c.key === 'reporter');
    const asAuditor = await fetchXlsx(api.as('auditor').get('/api/v1/ledgers/problems.xlsx'));
    expect(asAuditor.rows.map((r) => r[reporter])).toEqual(['（保密）', '（保密）', '王某', '（保密）']);
    const asRegistrar = await fetchXlsx(api.as('registrar').get('/api/v1/ledgers/problems.xlsx'));
    expect(asRegistrar.rows.map((r) => r[reporter])).toEqual(['李四', '李四', '王某', '李四']);
  });

  it('bad names and parameters get a 4xx problem, not a workbook', async () => {
    for (const path of ['problems.pdf', 'problems.xlsx.xlsx', 'problems.XLSX', 'everything.xlsx']) {
      const res = await api.as('registrar').get(`/api/v1/ledgers/${path}`).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.headers['content-disposition']).toBeUndefined();
    }
    for (const query of ['lang=fr', 'unitId=nope', 'minPosition=-1']) {
      const res = await api.as('registrar').get(`/api/v1/ledgers/problems.xlsx?${query}`).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    await api.http.get('/api/v1/ledgers/problems.xlsx').expect(401);
  });

  it('a client that goes away mid-download (XLSX or CSV) leaves no connection open and the API serving', async () => {
    const file = api.app.get(ReadModelService).file;
    // enough poorly-compressible text that the download outlasts the first chunk
    let seed = 7;
    const text = (n: number) =>
      Array.from({ length: n }, () =>
        String.fromCharCode(0x4e00 + ((seed = (seed * 48271) % 2147483647) % 20000)),
      ).join('');
    for (let i = 0; i < 40; i++)
      await api
        .as('registrar')
        .post('/api/v1/issues')
        .send(issueBody({ title: `批量${i}`, description: text(10_000) }))
        .expect(201);
    const baseline = readModelConnections(file);
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    const abort = (path: string, accept: string, afterFirstChunk: boolean) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no first chunk')), 5000);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        const req = http.get(
          { port, host: '127.0.0.1', path, headers: { authorization: `Bearer ${api.token('registrar')}`, accept } },
          (res) => {
            res.once('data', () => {
              req.destroy();
              done();
            });
          },
        );
        req.on('error', () => undefined);
        if (!afterFirstChunk) {
          req.on('socket', (s) => s.on('connect', () => setImmediate(() => (req.destroy(), done()))));
        }
      });
    for (const path of [
      '/api/v1/ledgers/problems.xlsx',
      '/api/v1/ledgers/rectifications?lang=en',
      '/api/v1/ledgers/problems.csv',
    ]) {
      const accept = path.includes('.') ? '' : XLSX;
      for (let i = 0; i < 4; i++) await Promise.all([abort(path, accept, true), abort(path, accept, false)]);
    }
    for (let tries = 0; readModelConnections(file) > baseline && tries < 100; tries++)
      await new Promise((r) => setTimeout(r, 20));
    expect(readModelConnections(file)).toBe(baseline);
    const whole = await fetchXlsx(api.as('registrar').get('/api/v1/ledgers/problems.xlsx'));
    expect(whole.rows).toHaveLength(44);
    expect(readModelConnections(file)).toBe(baseline);
  });
});
