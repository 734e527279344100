import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import pino from 'pino';
import { CommandRunner, issueStream } from '@duban/application';
import { connectRedis, Metrics, openQueues } from '@duban/common';
import { DubanConfig, loadConfig } from '@duban/config';
import { IssueCommand, issueDecider } from '@duban/domain';
import { SqliteEventStore } from '@duban/event-store';
import { DeadlineScheduler } from '../apps/worker/src/deadlines/deadline-scheduler';
import { DeadlineProcessor } from '../apps/worker/src/deadlines/deadline-processor';
import { WorkerReadModel } from '../apps/worker/src/read-model/worker-read-model';
import { startTestRedis, TestRedis } from './support/redis';
import { tempDir } from './support/temp-dir';
import { uniquePrefix } from './support/deadline-env';
import { startWorker } from './support/worker-process';
import { waitUntil } from './support/wait';
import { registerAndAssign, TEST_REGISTRAR as registrar } from './support/assigned-issue';

/** One reminder 50 s before the deadline; the escalations are days away (not part of these tests). */
const POLICY = { DEADLINE_REMINDERS: 'PT50S', DEADLINE_ESCALATIONS: 'P1D,P2D,P3D,P4D' };
const REMINDER_MS = 50_000;

/** Registers and assigns `count` issues with this deadline, 64 at a time (their appends share group commits). */
async function issuesDueAt(runner: CommandRunner, count: number, deadline: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  let next = 0;
  const lane = async () => {
    while (next < ids.length) {
      const issueId = ids[next++];
      await registerAndAssign(runner, {
        issueId,
        leadUnitId: '22222222-2222-4222-8222-222222222222',
        deadline: new Date(deadline).toISOString(),
      });
    }
  };
  await Promise.all(Array.from({ length: 64 }, lane));
  return ids;
}

const run = (runner: CommandRunner, issueId: string, command: IssueCommand) =>
  runner.execute({
    streamId: issueStream(issueId),
    decider: issueDecider,
    command,
    meta: { actor: registrar },
    name: command.type,
  });

/** Every ReminderSent in the log: its issue and the job that caused it. */
function reminders(store: SqliteEventStore): { issueId: string; causationId: string; version: number }[] {
  return (
    store.database.prepare("SELECT data, metadata FROM events WHERE type = 'ReminderSent' ORDER BY position").all() as {
      data: string;
      metadata: string;
    }[]
  ).map((row) => ({
    issueId: JSON.parse(row.data).issueId,
    version: JSON.parse(row.data).deadlineVersion,
    causationId: JSON.parse(row.metadata).causationId,
  }));
}

/** A whole second far enough ahead that the issues are written and scheduled before its reminder comes due. */
const deadlineIn = (leadMs: number) => Math.ceil((Date.now() + REMINDER_MS + leadMs) / 1000) * 1000;

/**
 * One delayed job per due second carries every deadline due then: the scheduler, the processor and the
 * reconciler in this process on a Redis of this test's own, then the real worker killed mid-batch.
 */
describe('deadline jobs: one per due second, many steps each, exactly once', () => {
  let redis: TestRedis;

  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  describe('in this process', () => {
    const dir = tempDir('duban-deadline-batches-');
    let config: DubanConfig;
    let store: SqliteEventStore;
    let runner: CommandRunner;
    let readModel: WorkerReadModel;
    let queues: ReturnType<typeof openQueues>;
    let scheduler: DeadlineScheduler;
    let worker: Worker;
    let connection: ReturnType<typeof connectRedis>;
    const logger = pino({ level: 'silent' });
    /** the read model holds the whole log, and the scheduler has acted on it */
    const scheduled = async () => {
      await readModel.runner.waitFor(await store.headPosition());
      await scheduler.flush();
    };
    const delayedIds = async () => (await queues.deadlines.getJobs(['delayed'])).map((job) => job.id!).sort();

    beforeAll(async () => {
      config = loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: dir.path,
        REDIS_URL: redis.url,
        QUEUE_PREFIX: uniquePrefix('batches'),
        AUTH_JWT_SECRET: 's'.repeat(40),
        ...POLICY,
      });
      store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
      runner = new CommandRunner(store);
      const metrics = new Metrics('worker-test');
      readModel = new WorkerReadModel(config, store, logger, metrics);
      await readModel.start();
      queues = openQueues(redis.url, config.queuePrefix);
      scheduler = new DeadlineScheduler(config, queues, readModel, logger);
      const processor = new DeadlineProcessor(config, runner, store, readModel, scheduler, logger, metrics);
      connection = connectRedis(redis.url);
      worker = new Worker('deadlines', (job, token) => processor.process(job, token), {
        connection,
        prefix: config.queuePrefix,
        concurrency: 8,
      });
    });
    afterAll(async () => {
      await worker?.close();
      await connection?.quit();
      await queues?.close();
      await readModel?.runner.stop();
      await store?.close();
      dir.remove();
    });

    it('200 deadlines due in one second are one delayed job, which records every reminder once; run again, it records nothing', async () => {
      const deadline = deadlineIn(15_000);
      const ids = await issuesDueAt(runner, 200, deadline);
      await scheduled();
      const second = DeadlineScheduler.secondJobId(deadline - REMINDER_MS);
      // one job for the reminders' second and one per escalation's: never one per issue
      expect(await delayedIds()).toEqual(
        [-REMINDER_MS, 1, 2, 3, 4]
          .map((at) => DeadlineScheduler.secondJobId(deadline + (at < 0 ? at : at * 86_400_000)))
          .sort(),
      );
      expect(await delayedIds()).toContain(second);
      await waitUntil(() => reminders(store).length >= 200, 'the 200 reminders', 60_000);
      const sent = reminders(store);
      expect(sent.map((r) => r.issueId).sort()).toEqual([...ids].sort());
      expect(new Set(sent.map((r) => r.causationId))).toEqual(new Set([second]));
      // the same second's job again (a duplicate, a retry): every step is already recorded
      const head = await store.headPosition();
      const again = await queues.deadlines.add(
        'deadline-step',
        { from: deadline - REMINDER_MS, to: deadline - REMINDER_MS + 1000 },
        { jobId: second },
      );
      await waitUntil(
        async () => (await again.getState()) !== 'waiting' && (await again.getState()) !== 'active',
        'the repeat to run',
      );
      expect(await store.headPosition()).toBe(head);
    }, 120_000);

    it("2,500 deadlines due in one second: the second's job shares them out in parts of 1,000, each a job of its own, and every reminder is recorded once", async () => {
      const deadline = deadlineIn(40_000);
      const ids = await issuesDueAt(runner, 2500, deadline);
      await scheduled();
      const second = DeadlineScheduler.secondJobId(deadline - REMINDER_MS);
      await waitUntil(
        () => reminders(store).filter((r) => ids.includes(r.issueId)).length >= 2500,
        'the 2,500 reminders',
        90_000,
      );
      const sent = reminders(store).filter((r) => ids.includes(r.issueId));
      expect(sent.map((r) => r.issueId).sort()).toEqual([...ids].sort());
      // the second's own job kept the first 1,000 issues by id; two parts took the next 1,000 and the last 500
      const byJob = new Map<string, string[]>();
      for (const r of sent) byJob.set(r.causationId, [...(byJob.get(r.causationId) ?? []), r.issueId]);
      expect([...byJob.keys()].filter((id) => id.startsWith('dl-part-'))).toHaveLength(2);
      expect(byJob.get(second)).toHaveLength(1000);
      const sorted = [...ids].sort();
      expect(byJob.get(second)!.sort()).toEqual(sorted.slice(0, 1000));
      expect([...byJob.values()].map((part) => part.length).sort()).toEqual([1000, 1000, 500]);
    }, 150_000);

    it('two jobs of one second at once decide on the same folded state: each reminder is appended once, the later append refused for its revision', async () => {
      const deadline = deadlineIn(15_000);
      const ids = await issuesDueAt(runner, 100, deadline);
      await scheduled();
      const from = deadline - REMINDER_MS;
      // a second job over the same window, due with the shared one: both choose the same 100 issues
      const twin = await queues.deadlines.add(
        'deadline-step',
        { from, to: from + 1000 },
        { jobId: `dl-twin-${from}`, delay: from - Date.now() },
      );
      await waitUntil(() => reminders(store).length >= 100, 'the 100 reminders', 60_000);
      await waitUntil(async () => (await twin.getState()) === 'completed', 'the twin job to finish', 30_000);
      const sent = reminders(store).filter((r) => ids.includes(r.issueId));
      expect(sent.map((r) => r.issueId).sort()).toEqual([...ids].sort());
    }, 120_000);

    it('a superseded deadline version is skipped: its second fires and records nothing of it, also from a job of the old one-job-per-step form', async () => {
      const deadline = deadlineIn(15_000);
      const [moved, kept] = await issuesDueAt(runner, 2, deadline);
      await scheduled();
      // re-assigned with a deadline an hour later: version 2
      await run(runner, moved, {
        type: 'ReassignIssue',
        data: {
          issueId: moved,
          leadUnitId: '22222222-2222-4222-8222-222222222222',
          responsiblePerson: { name: '王五' },
          deadline: new Date(deadline + 3_600_000).toISOString(),
          mode: 'counterpart',
          reason: '改派',
        },
        meta: { at: new Date().toISOString(), actor: registrar },
      });
      await scheduled();
      expect(await delayedIds()).toContain(DeadlineScheduler.secondJobId(deadline + 3_600_000 - REMINDER_MS));
      const dueAt = new Date(deadline - REMINDER_MS).toISOString();
      await queues.deadlines.add(
        'deadline-step',
        { issueId: moved, deadlineVersion: 1, step: { kind: 'reminder', offset: 'PT50S', dueAt } },
        { jobId: `dl-${moved}-v1-reminder-PT50S`, delay: deadline - REMINDER_MS - Date.now() },
      );
      await waitUntil(() => reminders(store).some((r) => r.issueId === kept), "the kept deadline's reminder", 60_000);
      await waitUntil(
        async () =>
          (await queues.deadlines.getJobs(['delayed', 'waiting', 'active'])).every(
            (job) => job.data.from !== Date.parse(dueAt) && !job.data.step,
          ),
        "every job of the old version's second to have run",
      );
      expect(reminders(store).filter((r) => r.issueId === moved)).toEqual([]);
      expect(reminders(store).filter((r) => r.issueId === kept)).toHaveLength(1);
    }, 120_000);

    it('FLUSHALL: the reconciler gives back the same jobs, and the reminders still come once', async () => {
      const deadline = deadlineIn(15_000);
      const ids = await issuesDueAt(runner, 50, deadline);
      await scheduled();
      const before = await delayedIds();
      const admin = new IORedis(redis.url, { maxRetriesPerRequest: null });
      await admin.flushall(); // this test's own redis-server
      expect(await delayedIds()).toEqual([]);
      await scheduler.reconcile();
      expect(await delayedIds()).toEqual(before);
      await admin.quit();
      await waitUntil(
        () => ids.every((id) => reminders(store).some((r) => r.issueId === id)),
        'the 50 reminders',
        60_000,
      );
      const sent = reminders(store).filter((r) => ids.includes(r.issueId));
      expect(sent).toHaveLength(50);
    }, 120_000);
  });

  it('SIGKILL of the worker mid-batch: after a restart every reminder of the batch is recorded, none twice', async () => {
    const dir = tempDir('duban-deadline-kill-');
    const store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
    const env = {
      DATA_DIR: dir.path,
      REDIS_URL: redis.url,
      QUEUE_PREFIX: uniquePrefix('kill'),
      AUTH_JWT_SECRET: 's'.repeat(40),
      WEBHOOK_SIGNING_SECRET: 'w'.repeat(40),
      RECONCILE_INTERVAL: 'PT1S',
      ...POLICY,
    };
    try {
      const count = 3000;
      const deadline = deadlineIn(40_000);
      const ids = await issuesDueAt(new CommandRunner(store), count, deadline);
      const first = startWorker(env);
      await first.waitFor('worker processing queues', 60_000);
      // killed as soon as the batch has begun to commit and before it has all been
      await waitUntil(() => reminders(store).length > 0, 'the first reminders', 120_000, 5);
      expect(await first.stop('SIGKILL')).toBe('SIGKILL');
      const atKill = reminders(store).length;
      expect(atKill).toBeLessThan(count);
      const second = startWorker(env);
      await waitUntil(() => reminders(store).length >= count, 'every reminder after the restart', 120_000);
      const sent = reminders(store);
      expect(sent.map((r) => r.issueId).sort()).toEqual([...ids].sort());
      // the killed worker's job runs again once its lock expires (up to a minute): it finds every step done
      const connection = connectRedis(redis.url);
      const queue = new Queue('deadlines', { connection, prefix: env.QUEUE_PREFIX });
      await waitUntil(
        async () => (await queue.getJobs(['active', 'waiting', 'delayed'])).every((job) => job.data.from > Date.now()),
        'no due deadline job left to run',
        120_000,
        500,
      );
      await queue.close();
      await connection.quit();
      await second.stop();
      expect(reminders(store)).toHaveLength(count);
    } finally {
      await store.close();
      dir.remove();
    }
  }, 300_000);
});
