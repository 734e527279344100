import { parse } from 'csv-parse/sync';
import type request from 'supertest';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, registerIssue } from './support/fixtures';
import { fetchXlsx } from './support/xlsx';
import type { TestRole } from './support/tokens';

const WEBHOOK = 'https://oapi.dingtalk.com/robot/send?access_token=robot-secret-0123456789';
const FORMULA = '=HYPERLINK("http://x","点我")';

const bytes = (req: request.Test) =>
  req
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(200);
/** a cell a spreadsheet would evaluate: starts a formula and is not a plain number */
const formulaLike = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(\.\d+)?$/.test(cell);
const csvRows = async (req: request.Test): Promise<string[][]> =>
  parse(((await bytes(req)).body as Buffer).toString('utf8').slice(1));

describe("a unit officer sees only their own unit's figures", () => {
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  let head = 0;
  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'SC-A', '市住建局');
    unitB = await createUnit(api, 'SC-B', '市交通局');
    // B: a black-list candidate with a named person held accountable
    const bad = await assignedIssue(api, unitB);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${bad}/escalations`)
      .send({ level: 3, reason: '约谈负责人' })
      .expect(200);
    const held = await api
      .as('registrar')
      .post(`/api/v1/issues/${bad}/accountability`)
      .send({ measure: 'criticism_notice', target: { kind: 'person', name: '赵六' }, reason: '推诿扯皮' })
      .expect(200);
    // A: its own black-list candidate
    const own = await assignedIssue(api, unitA);
    const escalated = await api
      .as('registrar')
      .post(`/api/v1/issues/${own}/escalations`)
      .send({ level: 3, reason: '约谈' })
      .expect(200);
    head = Math.max(held.body.position, escalated.body.position);
  });
  afterAll(async () => api.close());

  it("another unit's scorecard is 403 for a unit officer; their own and every other role's reads answer 200", async () => {
    const officer = api.as('unit_officer', unitA);
    const refused = await officer.get(`/api/v1/units/${unitB}/scorecard?minPosition=${head}`).expect(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(JSON.stringify(refused.body)).not.toContain('赵六');
    await officer.get(`/api/v1/units/${unitA}/scorecard?minPosition=${head}`).expect(200);
    for (const role of ['registrar', 'assessor', 'auditor', 'admin'] as TestRole[]) {
      const card = await api.as(role).get(`/api/v1/units/${unitB}/scorecard?minPosition=${head}`).expect(200);
      expect(JSON.stringify(card.body.accountability)).toContain('赵六');
    }
  });

  it("/lists/candidates shows a unit officer only their unit's issues; other roles see all", async () => {
    const mine = (await api.as('unit_officer', unitA).get(`/api/v1/lists/candidates?minPosition=${head}`).expect(200))
      .body;
    const units = [...mine.red, ...mine.black].map((c: { leadUnitId: string }) => c.leadUnitId);
    expect(units.length).toBeGreaterThan(0);
    expect(new Set(units)).toEqual(new Set([unitA]));
    for (const role of ['registrar', 'assessor', 'auditor', 'admin'] as TestRole[]) {
      const all = (await api.as(role).get(`/api/v1/lists/candidates?minPosition=${head}`).expect(200)).body;
      expect(all.black.map((c: { leadUnitId: string }) => c.leadUnitId)).toEqual(
        expect.arrayContaining([unitA, unitB]),
      );
    }
  });
});

describe('webhook URLs (which embed robot tokens) are shown to admins only', () => {
  let api: TestApi;
  let unit: string;
  beforeAll(async () => {
    api = await startTestApi();
    unit = await createUnit(api, 'WH-A', '有机器人的单位', {
      contacts: { webhookUrl: WEBHOOK, email: 'a@duban.test' },
    });
    await api.as('admin').post(`/api/v1/units/${unit}/contacts`).send({ webhookUrl: WEBHOOK }).expect(200);
  });
  afterAll(async () => api.close());

  const reads = (as: ReturnType<TestApi['as']>) =>
    Promise.all([
      as.get(`/api/v1/units/${unit}`).expect(200),
      as.get(`/api/v1/units/${unit}/history`).expect(200),
      as.get('/api/v1/units?q=WH-A').expect(200),
    ]);

  it.each(['registrar', 'unit_officer', 'assessor', 'auditor'] as TestRole[])(
    'a %s reads the unit, its history and the directory without the webhook URL (but sees that one is set)',
    async (role) => {
      const [one, history, list] = await reads(api.as(role, role === 'unit_officer' ? unit : undefined));
      for (const res of [one, history, list]) expect(JSON.stringify(res.body)).not.toContain('robot-secret');
      expect(one.body.contacts).toEqual({ webhookUrl: '[redacted]' });
      expect(list.body.items[0].contacts.webhookUrl).toBe('[redacted]');
      expect(history.body.events.map((e: { data: { contacts: object } }) => e.data.contacts)).toEqual([
        { webhookUrl: '[redacted]', email: 'a@duban.test' },
        { webhookUrl: '[redacted]' },
      ]);
    },
  );

  it('an admin reads the webhook URL everywhere it is answered', async () => {
    const [one, history, list] = await reads(api.as('admin'));
    expect(one.body.contacts.webhookUrl).toBe(WEBHOOK);
    expect(list.body.items[0].contacts.webhookUrl).toBe(WEBHOOK);
    expect(history.body.events[1].data.contacts.webhookUrl).toBe(WEBHOOK);
  });
});

describe('CSV formula injection (OWASP): text that would start a formula is neutralised, XLSX is unchanged', () => {
  let api: TestApi;
  let unit: string;
  let head = 0;
  beforeAll(async () => {
    api = await startTestApi();
    unit = await createUnit(api, 'CSV-A', '@单位');
    for (const title of [FORMULA, '-2+3+cmd|"/C calc"!A0', '普通标题']) {
      const id = await registerIssue(api, { title });
      const res = await api
        .as('registrar')
        .post(`/api/v1/issues/${id}/assign`)
        .send({
          leadUnitId: unit,
          responsiblePerson: { name: '+王五' },
          deadline: new Date(Date.now() + 10 * 86_400_000).toISOString(),
          mode: 'counterpart',
        })
        .expect(200);
      head = Math.max(head, res.body.position);
    }
  });
  afterAll(async () => api.close());

  it('the problems ledger CSV prefixes = + - @ cells with a quote and keeps other text and numbers as they are', async () => {
    await api.as('registrar').get(`/api/v1/ledgers/problems?minPosition=${head}`).expect(200);
    const rows = await csvRows(api.as('registrar').get('/api/v1/ledgers/problems.csv?lang=en'));
    const cells = rows.slice(1).flat();
    expect(cells).toContain(`'${FORMULA}`);
    expect(cells).toContain(`'-2+3+cmd|"/C calc"!A0`);
    expect(cells).toContain('普通标题');
    expect(cells.filter(formulaLike)).toEqual([]);
  });

  it('the responsibilities ledger CSV neutralises a named person too', async () => {
    const rows = await csvRows(api.as('registrar').get('/api/v1/ledgers/responsibilities.csv'));
    expect(rows.slice(1).flat()).toContain("'+王五");
    expect(rows.slice(1).flat().filter(formulaLike)).toEqual([]);
  });

  it('the XLSX keeps the text as it is (a spreadsheet cell typed as text is never a formula)', async () => {
    const { rows } = await fetchXlsx(api.as('registrar').get('/api/v1/ledgers/problems.xlsx'));
    expect(rows.flat()).toContain(FORMULA);
    expect(rows.flat()).not.toContain(`'${FORMULA}`);
  });

  it('the appraisal results CSV neutralises unit codes and group and criterion names', async () => {
    const created = await api
      .as('admin')
      .post('/api/v1/appraisals')
      .send({
        name: '注入测试',
        year: 2026,
        unitIds: [unit],
        exemptUnitIds: [],
        criteria: [{ key: 'attitude', name: FORMULA, weight: 1 }],
        scale: { min: 0, max: 100 },
        groups: [{ key: 'public', name: '@群众', weight: 1 }],
        rounds: [{ key: 'external', name: '外部评议' }],
        bottomN: 0,
        lowScoreThreshold: 60,
      })
      .expect(201);
    const rows = await csvRows(
      api.as('admin').get(`/api/v1/appraisals/${created.body.id}/results.csv?minPosition=${created.body.position}`),
    );
    expect(rows[0]).toEqual(expect.arrayContaining([`'${FORMULA}`, "'@群众"]));
    expect(rows[0]).not.toContain(FORMULA);
  });
});
