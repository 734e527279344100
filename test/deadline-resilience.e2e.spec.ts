import IORedis from 'ioredis';
import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';
import { startTestRedis, TestRedis } from './support/redis';
import { startWorker, WorkerProcess } from './support/worker-process';
import { FULL_LADDER, issueDueIn, SECONDS_POLICY, uniquePrefix, workerEnv, workerSteps } from './support/deadline-env';
import { sleep, waitUntil } from './support/wait';

/**
 * Nothing a worker owes is lost or done twice: a worker killed with SIGKILL while jobs are due, a Redis
 * that lost everything (FLUSHALL on a Redis this test started itself), and two workers at once.
 */
describe('deadline enforcement survives crashes, a lost Redis and concurrent workers', () => {
  let redis: TestRedis;
  let api: TestApi;
  let unitId: string;
  const workers: WorkerProcess[] = [];
  const start = (extra: Record<string, string> = {}) => {
    const w = startWorker(workerEnv(api, extra));
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    redis = await startTestRedis();
    api = await startTestApi({ ...SECONDS_POLICY, REDIS_URL: redis.url, QUEUE_PREFIX: uniquePrefix('resilience') });
    unitId = await createUnit(api, 'RS-1');
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await api?.close();
    await redis?.stop();
  });

  // deadlines at least 5 s away, so that every reminder (4 s before) is still ahead when it is assigned
  it('SIGKILL while jobs are due: after a restart every due escalation fires once, in order, none twice', async () => {
    const first = start();
    await first.waitFor('worker processing queues');
    const ids = await Promise.all([5, 5, 6].map((s) => issueDueIn(api, unitId, s)));
    await waitUntil(
      async () => (await workerSteps(api, ids[0])).includes('escalation 1 v1'),
      'the first escalation before the kill',
    );
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    await sleep(7000); // the rest of every ladder comes due while no worker runs
    const second = start();
    await second.waitFor('worker processing queues');
    for (const id of ids)
      await waitUntil(
        async () => (await workerSteps(api, id)).length >= 7,
        `the ladder of ${id} after the restart`,
        20_000,
      );
    await sleep(1000);
    for (const id of ids) expect(await workerSteps(api, id)).toEqual(FULL_LADDER);
    await second.stop();
  }, 60_000);

  it('FLUSHALL: the reconciler restores the schedule from the read model', async () => {
    const worker = start();
    await worker.waitFor('worker processing queues');
    const id = await issueDueIn(api, unitId, 6);
    await waitUntil(async () => (await workerSteps(api, id)).includes('reminder PT4S v1'), 'the first reminder');
    const admin = new IORedis(redis.url, { maxRetriesPerRequest: null });
    await admin.flushall(); // our own redis-server, started by this test
    expect(await admin.dbsize()).toBe(0);
    await waitUntil(async () => (await workerSteps(api, id)).length >= 7, 'the ladder after FLUSHALL', 25_000);
    await sleep(1000);
    expect(await workerSteps(api, id)).toEqual(FULL_LADDER);
    expect(worker.output()).toContain('reconciled the schedule with Redis');
    await admin.quit();
    await worker.stop();
  }, 60_000);

  it('two workers at once: every step still exactly once', async () => {
    const a = start({ WORKER_NAME: 'worker-a' });
    const b = start({ WORKER_NAME: 'worker-b' });
    await Promise.all([a.waitFor('worker processing queues'), b.waitFor('worker processing queues')]);
    const ids = await Promise.all([5, 5, 6, 6, 7].map((s) => issueDueIn(api, unitId, s)));
    for (const id of ids)
      await waitUntil(async () => (await workerSteps(api, id)).length >= 7, `the ladder of ${id}`, 25_000);
    await sleep(1500);
    for (const id of ids) expect(await workerSteps(api, id)).toEqual(FULL_LADDER);
    await Promise.all([a.stop(), b.stop()]);
  }, 60_000);
});
