import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import type { RecordedEvent } from '../event-store.port';
import { rawEventLog } from '../capabilities.port';
import { ChainChecker } from '../verify';
import { PostgresEventStore } from './postgres-event-store';
import { waitUntil } from '../../../../test/support/wait';

const ROOT = join(__dirname, '../../../..');
const APPENDER = join(ROOT, 'libs/event-store/src/testing/pg-appender.ts');

interface Ack {
  stream: string;
  revision: number;
  position: number;
}

interface Appender {
  acks: Ack[];
  /** one burst of `count` appends per writer; resolves when the child printed "done" */
  burst(): Promise<void>;
  /** closes its stdin (it exits) or SIGKILLs it; resolves on exit */
  stop(kill?: boolean): Promise<void>;
}

/** The appender child (testing/pg-appender.ts); with count 0 it appends from the start until killed. */
function startAppender(url: string, writers: number, count: number, onAck?: (acks: Ack[]) => void): Appender {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', APPENDER, url, String(writers), String(count)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const acks: Ack[] = [];
  let buffered = '';
  let stderr = '';
  let doneWaiter: (() => void) | undefined;
  let exitError: Error | undefined;
  const exited = new Promise<void>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL')
        exitError = new Error(`the appender exited (${code ?? signal}): ${stderr.slice(-2000)}`);
      resolve();
    }),
  );
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line === 'done') {
        doneWaiter?.();
        continue;
      }
      const [, stream, revision, position] = line.split(' ');
      acks.push({ stream, revision: Number(revision), position: Number(position) });
    }
    onAck?.(acks);
  });
  return {
    acks,
    burst: () =>
      new Promise<void>((resolve, reject) => {
        doneWaiter = resolve;
        void exited.then(() => reject(exitError ?? new Error(`the appender exited mid-burst: ${stderr.slice(-2000)}`)));
        child.stdin.write('go\n');
      }),
    async stop(kill = false) {
      if (kill) child.kill('SIGKILL');
      else child.stdin.end();
      await exited;
      if (exitError) throw exitError;
    },
  };
}

async function tableOrder(url: string): Promise<number[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<{ p: string }>('SELECT position AS p FROM events ORDER BY position')).rows.map((r) =>
      Number(r.p),
    );
  } finally {
    await c.end();
  }
}

describe('PostgreSQL $all under concurrent writers from many processes', () => {
  // child processes on a shared 2-core machine: generous, though a run takes well under a minute
  jest.setTimeout(120_000);
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase();
  });
  afterEach(async () => db.drop());

  it('8 processes x 8 writers: a live subscriber sees the final table order, no gap, no duplicate (3 rounds)', async () => {
    const store = new PostgresEventStore({ connectionString: db.url, pollIntervalMs: 1000 });
    const seen: RecordedEvent[] = [];
    // a slow-ish reader in small batches, so it reads while the writers are committing
    const subscription = store.subscribeToAll({ fromPosition: 0, batchSize: 7 }, async (events) => {
      seen.push(...events);
      if (seen.length % 5 === 0) await new Promise((r) => setImmediate(r));
    });
    const appenders = Array.from({ length: 8 }, () => startAppender(db.url, 8, 10));
    try {
      let expected = 0;
      for (let round = 0; round < 3; round++) {
        const before = appenders.map((a) => a.acks.length);
        await Promise.all(appenders.map((a) => a.burst()));
        const acks = appenders.flatMap((a, i) => a.acks.slice(before[i]));
        expect(acks).toHaveLength(8 * 8 * 10);
        expected += acks.length;
        const deadline = Date.now() + 20_000;
        while (seen.length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        const positions = seen.map((e) => e.position);
        expect(positions).toEqual(await tableOrder(db.url));
        expect(positions).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
        const acked = new Map(acks.map((a) => [`${a.stream}|${a.revision}`, a.position]));
        for (const e of seen.slice(expected - acks.length))
          expect(acked.get(`${e.streamId}|${e.revision}`)).toBe(e.position);
      }
    } finally {
      await Promise.all(appenders.map((a) => a.stop()));
    }
    await subscription.stop();
    await store.close();
  });

  it('keeps every acknowledged append after an appender is SIGKILLed mid-load, and every chain verifies', async () => {
    let killed = false;
    const appender = startAppender(db.url, 32, 0, (acks) => {
      if (acks.length >= 1000 && !killed) {
        killed = true;
        void appender.stop(true);
      }
    });
    await waitUntil(() => killed, 'the appender to acknowledge 1000 appends', 60_000);
    await appender.stop(true);
    const acks = appender.acks;
    expect(acks.length).toBeGreaterThanOrEqual(1000);
    const store = new PostgresEventStore({ connectionString: db.url });
    try {
      const stored = new Map((await store.readAll()).map((e) => [`${e.streamId}|${e.revision}`, e.position]));
      const missing = acks.filter((a) => stored.get(`${a.stream}|${a.revision}`) !== a.position);
      expect(missing).toEqual([]);
      const checker = new ChainChecker();
      const log = rawEventLog(store);
      for (let from = 0; ;) {
        const page = await log.page(from, 1000);
        if (page.length === 0) break;
        for (const e of page) checker.check(e);
        from = page[page.length - 1].position;
      }
      expect(checker.report().breaks).toEqual([]);
      expect(checker.events).toBeGreaterThanOrEqual(acks.length);
      // the store goes on: the next append of a stream continues its chain
      const last = acks[acks.length - 1];
      const info = await store.streamInfo(last.stream);
      await store.append(
        last.stream,
        [{ type: 'AfterCrash', data: {}, metadata: { actor: { id: 't', role: 'system' }, correlationId: 'c' } }],
        { expectedRevision: info.revision },
      );
      const [after] = await store.readStream(last.stream, { direction: 'backwards', maxCount: 1 });
      expect(after.type).toBe('AfterCrash');
    } finally {
      await store.close();
    }
  });
});
