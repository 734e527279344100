import Database from 'better-sqlite3';
import { EVENT_STORE, EVENTS_FILE, EventStore } from '@duban/event-store';
import { existsSync } from 'node:fs';
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
  'issue_breakdowns',
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
    // a log of many replay batches (5,000 events each), so a rebuild yields to queries between them;
    // events no projection handles keep the setup fast, the batches are what matters
    const store = api.app.get<EventStore>(EVENT_STORE);
    for (let batch = 0; batch < 100; batch++) {
      const load = Array.from({ length: 1000 }, (_, i) => ({
        type: 'RebuildLoadGenerated',
        data: { batch, i },
        metadata: { actor: { id: 'rebuild-test', role: 'system' }, correlationId: `rebuild-load-${batch}-${i}` },
      }));
      await store.append('rebuild-load', load, { expectedRevision: batch === 0 ? 'no_stream' : batch * 1000 - 1 });
    }
    // the API's read model has followed the whole log before the test snapshots it
    await api
      .as('admin')
      .get(`/api/v1/issues?minPosition=${await store.headPosition()}`)
      .expect(200);
  });
  afterAll(async () => api.close());

  it('is for admins only', async () => {
    for (const role of ['registrar', 'auditor', 'assessor'] as const)
      await api.as(role).post('/api/v1/admin/projections/rebuild').send({}).expect(403);
  });

  it('replays into identical tables; while the new one is built, queries are answered, all 200, from the complete old one', async () => {
    const file = join(api.config.dataDir, 'readmodel-api.sqlite');
    await registerIssue(api);
    const before = (await api.as('admin').get('/api/v1/stats').expect(200)).body;
    const snapshot = dump(file);
    const query = '/api/v1/issues?limit=100';
    const expected = (await api.as('registrar').get(query).expect(200)).body;
    let stop = false;
    // the scratch file exists from the rebuild's first replayed batch until the swap renames it
    const rebuilding = () => existsSync(`${file}.rebuild`);
    const answers: { duringRebuild: boolean; status: number; same: boolean }[] = [];
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const res = await api.as('registrar').get(query);
        const same = JSON.stringify(res.body) === JSON.stringify(expected);
        answers.push({ duringRebuild: rebuilding(), status: res.status, same });
      }
    });
    const rebuilt = await api.as('admin').post('/api/v1/admin/projections/rebuild').send({}).expect(200);
    stop = true;
    await Promise.all(readers);
    expect(rebuilding()).toBe(false);
    // answered while the scratch file was being filled: the rebuild does not stop the API from serving
    expect(answers.filter((a) => a.duringRebuild).length).toBeGreaterThan(0);
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    // never a half-built read model: every answer is the whole list as it stood
    expect(answers.filter((a) => !a.same)).toEqual([]);
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
