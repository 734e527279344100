import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { CommandRunner, issueStream } from '@duban/application';
import { IssueCommand, issueDecider } from '@duban/domain';
import { SqliteEventStore } from '@duban/event-store';
import { startTestRedis } from '../support/redis';
import { startWorker } from '../support/worker-process';
import { BenchRow, BenchSuite, percentile, scratchDir } from './harness';

const LISTINGS = Number(process.env.BENCH_LISTINGS ?? 1000);
const LANES = 64;
const LEAD_MS = Number(process.env.BENCH_LEAD_MS ?? 90_000);
const registrar = { id: 'bench', role: 'registrar' };

/** Runs `work(i)` for i in 0..n-1 on `LANES` concurrent lanes (the store folds their appends into group commits). */
async function inLanes(n: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < n) await work(next++);
  };
  await Promise.all(Array.from({ length: LANES }, lane));
}

async function run(runner: CommandRunner, issueId: string, commands: IssueCommand[]): Promise<void> {
  for (const command of commands)
    await runner.execute({
      streamId: issueStream(issueId),
      decider: issueDecider,
      command,
      meta: { actor: registrar },
      name: command.type,
    });
}

/** A registered issue assigned to `leadUnitId` with `deadline`. */
const assigned = (issueId: string, leadUnitId: string, deadline: string): IssueCommand[] => {
  const at = new Date().toISOString();
  return [
    {
      type: 'RegisterIssue',
      data: { issueId, source: 'hotline', category: '作风建设', title: '推诿扯皮', description: '群众多次往返未办结' },
      meta: { at, actor: registrar },
    },
    {
      type: 'AssignIssue',
      data: { issueId, leadUnitId, responsiblePerson: { name: '王五' }, deadline, mode: 'counterpart' },
      meta: { at, actor: registrar },
    },
  ];
};

/**
 * 1,000 black listings at once, through the real worker process: from each IssueListed event to the last
 * follow-up it causes (criticism record, notice created and published, escalation, new time limit, proposal —
 * every event whose causationId is the listing). Beside it, in the same worker and the same seconds, the deadline
 * worker's reminders: 1,000 reminders due at the moment of the listings, from due time to ReminderSent.
 */
async function consequenceLatency(): Promise<BenchRow[]> {
  const redis = await startTestRedis();
  const dir = scratchDir('consequences');
  const file = join(dir.path, 'events.sqlite');
  const store = new SqliteEventStore({ file });
  const runner = new CommandRunner(store);
  const leadUnitId = randomUUID();
  const listed = Array.from({ length: LISTINGS }, () => randomUUID());
  const reminded = Array.from({ length: LISTINGS }, () => randomUUID());
  const far = new Date(Date.now() + 30 * 86_400_000).toISOString();
  await inLanes(LISTINGS, (i) => run(runner, listed[i], assigned(listed[i], leadUnitId, far)));
  // leaves time to write the reminders' issues and start the worker (BENCH_LEAD_MS on a slow or busy machine)
  const due = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
  await inLanes(LISTINGS, (i) =>
    run(runner, reminded[i], assigned(reminded[i], leadUnitId, new Date(due + 30_000).toISOString())),
  );
  const worker = startWorker({
    DATA_DIR: dir.path,
    REDIS_URL: redis.url,
    QUEUE_PREFIX: 'bench',
    AUTH_JWT_SECRET: 's'.repeat(40),
    WEBHOOK_SIGNING_SECRET: 'w'.repeat(40),
    DEADLINE_REMINDERS: 'PT30S',
    DEADLINE_ESCALATIONS: 'P1D,P2D,P3D,P4D',
    LOG_LEVEL: 'info',
  });
  const count = (sql: string) => (store.database.prepare(sql).get() as { n: number }).n;
  try {
    await worker.waitFor('worker processing queues', LEAD_MS);
    if (Date.now() > due)
      throw new Error('writing the issues and starting the worker took longer than the lead time: raise BENCH_LEAD_MS');
    await new Promise((r) => setTimeout(r, due - Date.now()));
    // the black listings, all at once, while the reminders fall due
    await inLanes(LISTINGS, (i) =>
      run(runner, listed[i], [
        {
          type: 'ListIssue',
          data: { issueId: listed[i], list: 'black', reason: '推诿扯皮' },
          meta: { at: new Date().toISOString(), actor: registrar },
        },
      ]),
    );
    const load = loadavg()[0].toFixed(1);
    const proposals = () => count("SELECT count(*) AS n FROM events WHERE type = 'AccountabilityProposed'");
    const reminders = () => count("SELECT count(*) AS n FROM events WHERE type = 'ReminderSent'");
    while (proposals() < LISTINGS || reminders() < LISTINGS) {
      if (Date.now() > due + 300_000)
        throw new Error(`after 300 s only ${proposals()} proposals and ${reminders()} reminders`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const latencies = followUpLatencies(store);
    const lateness = (
      store.database.prepare("SELECT metadata FROM events WHERE type = 'ReminderSent'").all() as { metadata: string }[]
    )
      .map((r) => Date.parse(JSON.parse(r.metadata).recordedAt) - due)
      .sort((a, b) => a - b);
    const p99 = percentile(latencies, 99) / 1000;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    return [
      {
        benchmark: `${LISTINGS.toLocaleString('en-US')} black listings at once: p99 from the listing to its last follow-up (notice, record, escalation, time limit, proposal), 1 worker`,
        unit: 's',
        duban: p99,
        baseline: percentile(lateness, 99) / 1000,
        baselineName: `the same worker's ${LISTINGS.toLocaleString('en-US')} reminders due at the same moment: p99 lateness (due → ReminderSent)`,
        better: 'lower',
        goal: 'p99 ≤ 2 s',
        met: p99 <= 2,
        notes: `consequences p50 ${s(percentile(latencies, 50))}, max ${s(latencies[latencies.length - 1])}, ${latencies.length} listings, 6 follow-up events each; reminders p50 ${s(percentile(lateness, 50))}, max ${s(lateness[lateness.length - 1])}; load average ${load} when the listings were made`,
      },
    ];
  } finally {
    await worker.stop();
    await store.close();
    dir.remove();
    await redis.stop();
  }
}

/** Per listing: the last event it caused (on the issue and on its notice) minus the listing's own time, sorted. */
function followUpLatencies(store: SqliteEventStore): number[] {
  const rows = store.database.prepare('SELECT id, type, metadata FROM events').all() as {
    id: string;
    type: string;
    metadata: string;
  }[];
  const listedAt = new Map<string, number>();
  const lastAt = new Map<string, number>();
  for (const row of rows) {
    const meta = JSON.parse(row.metadata) as { recordedAt: string; causationId: string | null };
    if (row.type === 'IssueListed') listedAt.set(row.id, Date.parse(meta.recordedAt));
    else if (meta.causationId)
      lastAt.set(meta.causationId, Math.max(lastAt.get(meta.causationId) ?? 0, Date.parse(meta.recordedAt)));
  }
  return [...listedAt].map(([id, at]) => (lastAt.get(id) ?? NaN) - at).sort((a, b) => a - b);
}

export const consequencesSuite: BenchSuite = {
  name: 'consequences',
  run: consequenceLatency,
};
