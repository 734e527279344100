import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { QUEUES } from '@duban/common';
import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';
import { startTestRedis, TestRedis } from './support/redis';
import { startWorker, WorkerProcess } from './support/worker-process';
import {
  workerQueue,
  FULL_LADDER,
  history,
  issueDueIn,
  SECONDS_POLICY,
  uniquePrefix,
  workerEnv,
  workerSteps,
} from './support/deadline-env';
import { waitUntil } from './support/wait';

/**
 * Nothing a worker owes is lost or done twice: a worker killed with SIGKILL while jobs are due, a Redis
 * that lost everything (FLUSHALL on a Redis this test started itself), and two workers at once.
 */
describe('deadline enforcement survives crashes, a lost Redis and concurrent workers', () => {
  let redis: TestRedis;
  let api: TestApi;
  let unitId: string;
  let deadlines: ReturnType<typeof workerQueue>;
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
    deadlines = workerQueue(api);
  });

  /**
   * Every deadline job due by now has run: no further step can come, so the ladder is final. A job that was active
   * when its worker was SIGKILLed runs again only after its lock expires (30 s) and the next stalled-job check
   * (every 30 s) sees it: up to a minute after the kill, more on a loaded machine, so allow for it.
   */
  const settled = () =>
    waitUntil(async () => (await deadlines.pending({ dueBy: Date.now() })) === 0, 'no due deadline job left', 90_000);
  /** The last escalation (PT6S after the deadline) of a ladder assigned at `assignedAt` with `seconds` to go is due. */
  const allDue = (assignedAt: number, seconds: number) =>
    waitUntil(() => Date.now() >= assignedAt + (seconds + 6) * 1000 + 200, 'every step of the ladder to be due');

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await deadlines?.close();
    await api?.close();
    await redis?.stop();
  });

  // deadlines at least 5 s away, so that every reminder (4 s before) is still ahead when it is assigned
  it('SIGKILL while jobs are due: after a restart every due escalation fires once, in order, none twice', async () => {
    const first = start();
    await first.waitFor('worker processing queues');
    const assignedAt = Date.now();
    const ids = await Promise.all([5, 5, 6].map((s) => issueDueIn(api, unitId, s)));
    await waitUntil(
      async () => (await workerSteps(api, ids[0])).includes('escalation 1 v1'),
      'the first escalation before the kill',
    );
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    await allDue(assignedAt, 6); // the rest of every ladder comes due while no worker runs
    const second = start();
    await second.waitFor('worker processing queues');
    for (const id of ids)
      await waitUntil(
        async () => (await workerSteps(api, id)).length >= 7,
        `the ladder of ${id} after the restart`,
        20_000,
      );
    await settled();
    for (const id of ids) expect(await workerSteps(api, id)).toEqual(FULL_LADDER);
    await second.stop();
  }, 150_000);

  it('FLUSHALL: the reconciler restores the schedule from the read model', async () => {
    const worker = start();
    await worker.waitFor('worker processing queues');
    const id = await issueDueIn(api, unitId, 6);
    await waitUntil(async () => (await workerSteps(api, id)).includes('reminder PT4S v1'), 'the first reminder');
    const admin = new IORedis(redis.url, { maxRetriesPerRequest: null });
    await admin.flushall(); // our own redis-server, started by this test
    expect(await admin.dbsize()).toBe(0);
    // the reconciler's effect: a job again wakes the worker when the issue's last step (escalation 4) is due
    const assigned = (await history(api, id)).find((e) => e.type === 'IssueAssigned')!;
    const lastStepDue = Date.parse(assigned.data.deadline as string) + 6000;
    const queue = new Queue(QUEUES.deadlines, { connection: admin, prefix: api.config.queuePrefix });
    await waitUntil(
      async () =>
        (await queue.getJobs(['delayed', 'waiting'])).some(
          (job) => job && job.data.from <= lastStepDue && lastStepDue < job.data.to,
        ),
      "the issue's last step back in Redis",
    );
    await queue.close();
    await waitUntil(async () => (await workerSteps(api, id)).length >= 7, 'the ladder after FLUSHALL', 25_000);
    await settled();
    expect(await workerSteps(api, id)).toEqual(FULL_LADDER);
    await admin.quit();
    await worker.stop();
  }, 90_000);

  it('two workers at once: every step still exactly once', async () => {
    const a = start({ WORKER_NAME: 'worker-a' });
    const b = start({ WORKER_NAME: 'worker-b' });
    await Promise.all([a.waitFor('worker processing queues'), b.waitFor('worker processing queues')]);
    const ids = await Promise.all([5, 5, 6, 6, 7].map((s) => issueDueIn(api, unitId, s)));
    for (const id of ids)
      await waitUntil(async () => (await workerSteps(api, id)).length >= 7, `the ladder of ${id}`, 25_000);
    await settled();
    for (const id of ids) expect(await workerSteps(api, id)).toEqual(FULL_LADDER);
    await Promise.all([a.stop(), b.stop()]);
  }, 90_000);
});
