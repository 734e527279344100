import Database from 'better-sqlite3';
import { join } from 'node:path';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, registerIssue } from './support/fixtures';

const TABLES = ['units', 'issues', 'issue_units', 'inbox'];

function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

describe('POST /admin/projections/rebuild', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    const unit = await createUnit(api, 'RB');
    for (let i = 0; i < 15; i++) await assignedIssue(api, unit);
    await registerIssue(api);
  });
  afterAll(async () => api.close());

  it('is for admins only', async () => {
    for (const role of ['registrar', 'auditor', 'assessor'] as const) await api.as(role).post('/api/v1/admin/projections/rebuild').send({}).expect(403);
  });

  it('replays into identical tables while concurrent queries keep answering', async () => {
    const file = join(api.config.dataDir, 'readmodel-api.sqlite');
    const last = await registerIssue(api);
    void last;
    const before = (await api.as('admin').get('/api/v1/stats').expect(200)).body;
    const snapshot = dump(file);
    let stop = false;
    const failures: number[] = [];
    let answered = 0;
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const res = await api.as('registrar').get('/api/v1/issues?limit=5');
        if (res.status !== 200) failures.push(res.status);
        answered++;
      }
    });
    const rebuilt = await api.as('admin').post('/api/v1/admin/projections/rebuild').send({}).expect(200);
    stop = true;
    await Promise.all(readers);
    expect(failures).toEqual([]);
    expect(answered).toBeGreaterThan(0);
    expect(rebuilt.body.position).toBeGreaterThan(0);
    expect(dump(file)).toEqual(snapshot);
    expect((await api.as('admin').get('/api/v1/stats').expect(200)).body).toEqual(before);
    // and it keeps following the log after the swap
    const after = await api.as('registrar').post('/api/v1/issues').send({ source: 'online', category: 'c', title: '重建之后', description: 'd' }).expect(201);
    const list = await api.as('registrar').get(`/api/v1/issues?minPosition=${after.body.position}&source=online`).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(after.body.id);
  });
});
