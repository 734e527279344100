import Database from 'better-sqlite3';
import { join } from 'node:path';
import { READ_MODEL_FILE } from '@duban/projections';
import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';
import { waitUntil } from './support/wait';

const REFUSE_UNITS = "CREATE TRIGGER refuse_units BEFORE INSERT ON units BEGIN SELECT RAISE(ABORT, 'disk full'); END";

async function metric(api: TestApi, name: string): Promise<number> {
  const text = (await api.http.get('/metrics').expect(200)).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return Number(line?.split(' ').pop());
}

async function listedCodes(api: TestApi): Promise<string[]> {
  const res = await api.as('admin').get('/api/v1/units').expect(200);
  return (res.body.items as { code: string }[]).map((u) => u.code);
}

/** The API's read model stops following the log when a write to its file fails, and must not do so silently. */
describe('a failing read model is supervised', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('a refused read-model write makes /health 503 and duban_projection_up 0; once the cause goes away it resumes from its checkpoint by itself', async () => {
    await createUnit(api, 'RP-0');
    const ok = await api.http.get('/health');
    expect(ok.status).toBe(200);
    expect(await metric(api, 'duban_projection_up')).toBe(1);

    // another connection makes the projection's writes fail, as a full disk would
    const saboteur = new Database(join(api.config.dataDir, READ_MODEL_FILE));
    saboteur.exec(REFUSE_UNITS);
    const unitId = await createUnit(api, 'RP-1'); // the command itself needs only the event store
    const down = await waitUntil(async () => {
      const res = await api.http.get('/health');
      return res.status === 503 ? res : undefined;
    }, '/health to answer 503 while the read model is down');
    expect(down.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.body).toMatchObject({ status: 503, detail: 'down: readModel' });
    expect(down.body.error.readModel).toMatchObject({ status: 'down', message: 'disk full' });
    expect(down.body.info.eventStore.status).toBe('up');
    expect(await metric(api, 'duban_projection_up')).toBe(0);
    expect(await metric(api, 'duban_projection_restarts_total')).toBeGreaterThanOrEqual(1);
    expect(await listedCodes(api)).toEqual(['RP-0']); // the directory (read model) stands still meanwhile

    saboteur.exec('DROP TRIGGER refuse_units');
    saboteur.close();
    await waitUntil(async () => (await api.http.get('/health')).status === 200, '/health to answer 200 again', 30_000);
    expect(await metric(api, 'duban_projection_up')).toBe(1);
    expect(await listedCodes(api)).toEqual(['RP-0', 'RP-1']);
    expect((await api.as('admin').get(`/api/v1/units/${unitId}`).expect(200)).body.code).toBe('RP-1');
  }, 60_000);
});
