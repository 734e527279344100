import Database from 'better-sqlite3';
import { EVENTS_FILE } from '@duban/event-store';
import { join } from 'node:path';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, registerIssue } from './support/fixtures';
import { projectionsCli } from './support/cli';
import { tempDir } from './support/temp-dir';

const TABLES = [
  'units',
  'issue_rows',
  'issue_states',
  'issue_units',
  'issues_fts',
  'issue_counts',
  'issue_lead_counts',
  'inbox',
  'inbox_reads',
  'appraisal_campaigns',
  'appraisal_ballots',
];

function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    return {
      // a rebuild creates the query indexes after catching up: the schema must come out the same
      schema: db
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
        .all(),
      ...Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all()])),
    };
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
    for (const role of ['registrar', 'auditor', 'assessor'] as const)
      await api.as(role).post('/api/v1/admin/projections/rebuild').send({}).expect(403);
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
    const after = await api
      .as('registrar')
      .post('/api/v1/issues')
      .send({ source: 'online', category: 'c', title: '重建之后', description: 'd' })
      .expect(201);
    const list = await api
      .as('registrar')
      .get(`/api/v1/issues?minPosition=${after.body.position}&source=online`)
      .expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(after.body.id);
  });
});

describe('npm run projections (the rebuild CLI)', () => {
  const data = tempDir('duban-cli-rebuild-');
  afterAll(() => data.remove());

  it('refuses while an API has the read model open, asks a running API over HTTP, and rebuilds offline into identical tables', async () => {
    const api = await startTestApi({ DATA_DIR: data.path });
    const file = join(data.path, 'readmodel-api.sqlite');
    let position = 0;
    try {
      const unit = await createUnit(api, 'CL');
      for (let i = 0; i < 5; i++) await assignedIssue(api, unit);
      await registerIssue(api);
      const inUse = await projectionsCli(['rebuild', '--data-dir', data.path]);
      expect(inUse.code).toBe(4);
      expect(inUse.stderr).toMatch(/open in another process/);
      const port = (api.app.getHttpServer().address() as { port: number }).port;
      const refused = await projectionsCli([
        'rebuild',
        '--server',
        `http://127.0.0.1:${port}`,
        '--token',
        api.token('registrar'),
      ]);
      expect(refused.code).toBe(3);
      expect(refused.stderr).toMatch(/403/);
      const remote = await projectionsCli([
        'rebuild',
        '--server',
        `http://127.0.0.1:${port}`,
        '--token',
        api.token('admin'),
      ]);
      expect(remote.code).toBe(0);
      expect(JSON.parse(remote.stdout).position).toBeGreaterThan(0);
    } finally {
      await api.close();
    }
    const events = new Database(join(data.path, EVENTS_FILE), { readonly: true });
    position = events.prepare('SELECT MAX(position) FROM events').pluck().get() as number;
    events.close();
    const live = dump(file);
    const offline = await projectionsCli(['rebuild', '--data-dir', data.path]);
    expect(offline.stderr).toBe('');
    expect(offline.code).toBe(0);
    expect(JSON.parse(offline.stdout)).toMatchObject({ position });
    expect(dump(file)).toEqual(live);
    const status = await projectionsCli(['status', '--data-dir', data.path]);
    expect(status.stdout).toMatch(new RegExp(`^issues +position ${position} of ${position}$`, 'm'));
    expect((await projectionsCli(['rebuild', '--data-dir', join(data.path, 'nowhere')])).code).toBe(2);
    expect((await projectionsCli(['frobnicate'])).code).toBe(2);
  });
});
