import Database from 'better-sqlite3';
import { join } from 'node:path';
import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';

/** Records the longest pause between the ticks of a 10 ms timer: the event loop's worst stall. */
function watchEventLoop(): { stop(): number } {
  let last = Date.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return worst;
    },
  };
}

describe('a busy event store (another connection holds its write lock)', () => {
  let api: TestApi;
  let lock: Database.Database;
  beforeAll(async () => {
    api = await startTestApi();
    await createUnit(api, 'BZ-0');
    lock = new Database(join(api.config.dataDir, 'events.sqlite'));
  });
  afterAll(async () => {
    if (lock.inTransaction) lock.exec('ROLLBACK');
    lock.close();
    await api?.close();
  });

  it('a command answers 503 with Retry-After once the lock outlasts its wait, and the event loop keeps running meanwhile', async () => {
    const head = (await api.http.get('/health').expect(200)).body.info.eventStore.headPosition;
    lock.exec('BEGIN IMMEDIATE');
    const loop = watchEventLoop();
    const started = Date.now();
    const res = await api.as('admin').post('/api/v1/units').send({ code: 'BZ-1', name: '单位 BZ-1' });
    const elapsed = Date.now() - started;
    const worstStallMs = loop.stop();
    lock.exec('ROLLBACK');
    expect(res.status).toBe(503);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(elapsed).toBeLessThan(8000);
    expect(worstStallMs).toBeLessThan(500);
    expect((await api.http.get('/health').expect(200)).body.info.eventStore.headPosition).toBe(head);
  }, 30_000);

  it('a command that meets the lock succeeds once the lock is released, without stalling the event loop', async () => {
    lock.exec('BEGIN IMMEDIATE');
    const loop = watchEventLoop();
    const pending = api
      .as('admin')
      .post('/api/v1/units')
      .send({ code: 'BZ-2', name: '单位 BZ-2' })
      .then((r) => r);
    setTimeout(() => lock.exec('ROLLBACK'), 800);
    const res = await pending;
    const worstStallMs = loop.stop();
    expect(res.status).toBe(201);
    expect(worstStallMs).toBeLessThan(500);
  }, 30_000);
});
