import Database from 'better-sqlite3';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { join } from 'node:path';
import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';
import { freePort, startTestRedis, TestRedis } from './support/redis';
import { startWorker, WorkerProcess } from './support/worker-process';
import { history, issueDueIn, SECONDS_POLICY, uniquePrefix, workerEnv, workerSteps } from './support/deadline-env';
import { waitUntil } from './support/wait';

interface WorkerHealth {
  status: number;
  body: {
    status: string;
    subscription: { status: string; message?: string; lagEvents: number | null };
    redis: { status: string; message?: string };
    queues: { status: string; workers: { queue: string; running: boolean }[] };
  };
}

async function workerHealth(port: number): Promise<WorkerHealth> {
  const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: (await res.json()) as WorkerHealth['body'] };
}

/** One reminder a few seconds before the deadline and no escalation within the test: one step to watch. */
const ONE_REMINDER = { DEADLINE_REMINDERS: 'PT4S', DEADLINE_ESCALATIONS: 'PT1H,PT2H,PT3H,PT4H' };

describe("the worker's /health reflects Redis, its queue workers and its subscription", () => {
  let redis: TestRedis;
  let api: TestApi;
  let worker: WorkerProcess | undefined;
  let unitId: string;
  let port: number;

  beforeAll(async () => {
    redis = await startTestRedis(); // this test's own: it is stopped and started again below
    api = await startTestApi({ ...SECONDS_POLICY, REDIS_URL: redis.url, QUEUE_PREFIX: uniquePrefix('health') });
    unitId = await createUnit(api, 'WH-1');
    port = await freePort();
    worker = startWorker(
      workerEnv(api, { ...ONE_REMINDER, WORKER_NAME: 'w-health', WORKER_METRICS_PORT: String(port) }),
    );
    await worker.waitFor('worker metrics on /metrics');
  });

  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await api?.close();
    await redis?.stop();
  });

  it('answers 200 naming each part up, 503 naming Redis while Redis is stopped, and 200 again once it is back', async () => {
    // 503 while it starts (no queue worker yet), then 200
    const healthy = await waitUntil(async () => {
      const h = await workerHealth(port);
      return h.status === 200 ? h : undefined;
    }, 'the worker /health to answer 200 once started');
    expect(healthy.body).toMatchObject({ status: 'ok', redis: { status: 'up' }, subscription: { status: 'up' } });
    expect(healthy.body.queues.workers.map((w) => w.queue).sort()).toEqual(['deadlines', 'notifications', 'progress']);
    expect(healthy.body.queues.workers.every((w) => w.running)).toBe(true);

    await redis.stop();
    const started = Date.now();
    const down = await waitUntil(async () => {
      const h = await workerHealth(port);
      return h.status === 503 ? h : undefined;
    }, 'the worker /health to answer 503 without Redis');
    expect(down.body.redis.status).toBe('down');
    expect(Date.now() - started).toBeLessThan(10_000);

    redis = await startTestRedis({ port: redis.port });
    await waitUntil(async () => (await workerHealth(port)).status === 200, 'the worker /health to recover', 30_000);
    // and it works again: a new deadline's reminder is recorded
    const id = await issueDueIn(api, unitId, 6);
    await waitUntil(
      async () => (await workerSteps(api, id)).includes('reminder PT4S v1'),
      'the reminder after Redis came back',
      20_000,
    );
  }, 90_000);

  it("answers 503 while its read model's writes fail, and deadline scheduling resumes once the cause goes away", async () => {
    const saboteur = new Database(join(api.config.dataDir, 'readmodel-w-health.sqlite'));
    saboteur.exec("CREATE TRIGGER refuse BEFORE INSERT ON deadlines BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    try {
      const id = await issueDueIn(api, unitId, 8);
      const down = await waitUntil(async () => {
        const h = await workerHealth(port);
        return h.status === 503 ? h : undefined;
      }, 'the worker /health to answer 503 while its subscription is down');
      expect(down.body.subscription).toMatchObject({ status: 'down', message: 'disk full' });
      expect(down.body.redis.status).toBe('up');
      expect(worker!.output()).toContain("the worker's read model stopped following the log");
      saboteur.exec('DROP TRIGGER refuse');
      await waitUntil(async () => (await workerHealth(port)).status === 200, 'the worker /health to recover', 30_000);
      await waitUntil(
        async () => (await workerSteps(api, id)).includes('reminder PT4S v1'),
        'the reminder of the issue assigned while the subscription was down',
        30_000,
      );
    } finally {
      saboteur.close();
    }
  }, 90_000);
});

describe('deadline jobs that failed every attempt are restored by the reconciler', () => {
  let api: TestApi;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    api = await startTestApi({ ...ONE_REMINDER, QUEUE_PREFIX: uniquePrefix('failed') });
  });
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await api?.close();
  });

  it('a reminder whose recording failed five times is recorded once the cause goes away', async () => {
    const unitId = await createUnit(api, 'WF-1');
    worker = startWorker(workerEnv(api, { ...ONE_REMINDER, WORKER_NAME: 'w-failed' }));
    await worker.waitFor('worker processing queues');
    const id = await issueDueIn(api, unitId, 6);
    // while the trigger stands, the worker cannot record this issue's reminder: every attempt fails
    const events = new Database(join(api.config.dataDir, 'events.sqlite'));
    events.exec(
      `CREATE TRIGGER refuse_reminder BEFORE INSERT ON events WHEN NEW.stream_id = 'issue-${id}' AND NEW.type = 'ReminderSent'
       BEGIN SELECT RAISE(ABORT, 'store refuses'); END`,
    );
    const connection = new IORedis(api.config.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue('deadlines', { connection, prefix: api.config.queuePrefix });
    try {
      // the job that wakes the worker when the reminder is due (PT4S before the deadline)
      const assigned = (await history(api, id)).find((e) => e.type === 'IssueAssigned')!;
      const reminderDue = Date.parse(assigned.data.deadline as string) - 4000;
      const failed = await waitUntil(
        async () => (await queue.getFailed()).find((job) => job.data.from <= reminderDue && reminderDue < job.data.to),
        'the reminder job to fail all its attempts',
        40_000,
      );
      expect(failed.attemptsMade).toBe(5);
      expect(await workerSteps(api, id)).toEqual([]);
      events.exec('DROP TRIGGER refuse_reminder');
      await waitUntil(
        async () => (await workerSteps(api, id)).includes('reminder PT4S v1'),
        'the reminder after the reconciler restored its failed job',
        20_000,
      );
      expect(await workerSteps(api, id)).toEqual(['reminder PT4S v1']);
      expect(worker.output()).toContain('deadline jobs that had failed every attempt re-added');
    } finally {
      events.close();
      await queue.close();
      await connection.quit();
    }
  }, 90_000);
});
