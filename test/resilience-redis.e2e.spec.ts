import { startTestApi, TestApi } from './support/api';
import { createUnit, registerIssue } from './support/fixtures';
import { startTestRedis, TestRedis } from './support/redis';
import { uniquePrefix } from './support/deadline-env';
import { waitUntil } from './support/wait';

/** Answers within `ms` or fails the test: a request that hangs on a missing Redis is the defect. */
async function within<T>(ms: number, request: PromiseLike<T>): Promise<T> {
  const started = Date.now();
  const res = await request;
  expect(Date.now() - started).toBeLessThan(ms);
  return res;
}

describe('the API without Redis: what needs Redis fails fast with 503, everything else keeps working', () => {
  let redis: TestRedis;
  let api: TestApi;
  beforeAll(async () => {
    redis = await startTestRedis(); // this test's own: stopped and started again below, never the run's
    api = await startTestApi({ REDIS_URL: redis.url, QUEUE_PREFIX: uniquePrefix('noredis') });
  });
  afterAll(async () => {
    await api?.close();
    await redis?.stop();
  });

  it('Redis stopped: queue routes and /health answer 503 problem+json with Retry-After at once; commands and queries answer; all recovers when Redis is back', async () => {
    const admin = api.as('admin');
    await admin.get('/api/v1/admin/dead-letters').expect(200);
    await redis.stop();

    const health = await within(3000, api.http.get('/health'));
    expect(health.status).toBe(503);
    expect(health.body.error.redis.status).toBe('down');
    for (const res of [
      await within(3000, admin.get('/api/v1/admin/dead-letters')),
      await within(3000, admin.post('/api/v1/admin/progress-requests').send({})),
      await within(3000, admin.post('/api/v1/admin/dead-letters/nt-1/retry')),
    ]) {
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body.detail).toMatch(/Redis/);
    }

    // the event store and the read model do not need Redis
    const unitId = await within(3000, createUnit(api, 'NR-1'));
    const issueId = await within(3000, registerIssue(api));
    await within(3000, admin.get(`/api/v1/issues/${issueId}`).expect(200));
    await within(3000, admin.get(`/api/v1/units/${unitId}`).expect(200));

    redis = await startTestRedis({ port: redis.port });
    await waitUntil(async () => (await api.http.get('/health')).status === 200, '/health 200 with Redis back', 30_000);
    await waitUntil(
      async () => (await admin.get('/api/v1/admin/dead-letters')).status === 200,
      'the dead letters with Redis back',
    );
    await admin.post('/api/v1/admin/progress-requests').send({}).expect(202);
  }, 60_000);
});
