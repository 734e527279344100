import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SqliteEventStore, EventToAppend } from '@duban/event-store';
import { BenchRow, BenchSuite, median, scratchDir, timed } from './harness';

const SEQUENTIAL = 2000;
const WRITERS = 64;
const PER_WRITER = 250;
const READ_EVENTS = 100_000;

/** a realistic registration: ~500 bytes of JSON with Chinese text */
function payload(i: number) {
  return {
    issueId: randomUUID(),
    source: 'hotline',
    category: '作风建设',
    title: `窗口单位办事推诿扯皮 #${i}`,
    description: '群众反映某窗口工作人员对办事群众推诿，多次往返未办结，要求限期整改并反馈结果。',
    location: '行政服务中心三楼',
    reporter: { name: '李四', confidential: true },
    attachments: [],
    at: new Date().toISOString(),
    by: 'registrar-1',
  };
}

function event(i: number): EventToAppend {
  return {
    type: 'IssueRegistered',
    data: payload(i),
    metadata: { actor: { id: 'registrar-1', role: 'registrar' }, correlationId: randomUUID(), commandId: randomUUID() },
  };
}

function rawDb(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
    type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
    CREATE UNIQUE INDEX events_stream_revision ON events (stream_id, revision);`);
  const insert = db.prepare(
    'INSERT INTO events (id, stream_id, revision, type, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  return { db, insert };
}

const HASH = 'f'.repeat(64);

async function sequentialDuban(): Promise<number> {
  const dir = scratchDir('seq');
  const store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
  const ms = await timed(async () => {
    for (let i = 0; i < SEQUENTIAL; i++)
      await store.append(`issue-${i}`, [event(i)], { expectedRevision: 'no_stream' });
  });
  await store.close();
  dir.remove();
  return SEQUENTIAL / (ms / 1000);
}

async function sequentialRaw(): Promise<number> {
  const dir = scratchDir('raw');
  const { db, insert } = rawDb(join(dir.path, 'raw.sqlite'));
  const ms = await timed(() => {
    for (let i = 0; i < SEQUENTIAL; i++) {
      const e = event(i);
      insert.run(randomUUID(), `issue-${i}`, 0, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), HASH, HASH);
    }
  });
  db.close();
  dir.remove();
  return SEQUENTIAL / (ms / 1000);
}

async function concurrentDuban(): Promise<number> {
  const dir = scratchDir('conc');
  const store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
  const ms = await timed(() =>
    Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < PER_WRITER; i++)
          await store.append(`issue-${w}`, [event(i)], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
      }),
    ),
  );
  await store.close();
  dir.remove();
  return (WRITERS * PER_WRITER) / (ms / 1000);
}

/** the best a single process can do durably: 64 rows per fsynced transaction */
async function batchedRaw(): Promise<number> {
  const dir = scratchDir('rawb');
  const { db, insert } = rawDb(join(dir.path, 'raw.sqlite'));
  const batch = db.transaction((rows: unknown[][]) => {
    for (const r of rows) insert.run(...r);
  });
  const ms = await timed(() => {
    for (let i = 0; i < PER_WRITER; i++) {
      batch(
        Array.from({ length: WRITERS }, (_, w) => {
          const e = event(i);
          return [
            randomUUID(),
            `issue-${w}`,
            i,
            e.type,
            JSON.stringify(e.data),
            JSON.stringify(e.metadata),
            HASH,
            HASH,
          ];
        }),
      );
    }
  });
  db.close();
  dir.remove();
  return (WRITERS * PER_WRITER) / (ms / 1000);
}

/**
 * Emmett's SQLite store (node sqlite3) runs in a child process with a time limit: under 64 concurrent
 * writers some of its appends fail with SQLITE_BUSY and some never settle, and its errors can be
 * unhandled. Its figure counts the appends that succeeded.
 */
function emmett(
  writers: number,
  perWriter: number,
  limitMs = 30_000,
): Promise<{ rate: number; failed: number; unsettled: number }> {
  const dir = scratchDir('emmc');
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        join(__dirname, 'emmett.child.ts'),
        join(dir.path, 'e.sqlite'),
        String(writers),
        String(perWriter),
      ],
      {
        cwd: join(__dirname, '../..'),
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    let last = [0, 0, 1];
    let buffered = '';
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (/^\d+ \d+ \d+$/.test(line)) last = line.split(' ').map(Number);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', () => {
      clearTimeout(timer);
      dir.remove();
      const [ok, failed, ms] = last;
      resolve({ rate: ok / (ms / 1000), failed, unsettled: writers * perWriter - ok - failed });
    });
  });
}

async function readAllBoth(): Promise<{ duban: number; raw: number }> {
  const dir = scratchDir('read');
  const file = join(dir.path, 'events.sqlite');
  const store = new SqliteEventStore({ file });
  // fill quickly: 100 streams appended concurrently (group commit)
  await Promise.all(
    Array.from({ length: 100 }, async (_, w) => {
      for (let i = 0; i < READ_EVENTS / 100 / 50; i++) {
        await store.append(
          `issue-${w}`,
          Array.from({ length: 50 }, (_, k) => event(i * 50 + k)),
          { expectedRevision: i === 0 ? 'no_stream' : i * 50 - 1 },
        );
      }
    }),
  );
  const dubanRate = await median(3, async () => {
    let n = 0;
    const ms = await timed(async () => {
      for (let from = 0; ;) {
        const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
        if (page.length === 0) break;
        n += page.length;
        from = page[page.length - 1].position;
      }
    });
    return n / (ms / 1000);
  });
  const raw = new Database(file, { readonly: true });
  const rawRate = await median(3, async () => {
    let n = 0;
    const ms = await timed(() => {
      for (const row of raw.prepare('SELECT * FROM events ORDER BY position').iterate() as IterableIterator<{
        data: string;
        metadata: string;
      }>) {
        JSON.parse(row.data);
        JSON.parse(row.metadata);
        n++;
      }
    });
    return n / (ms / 1000);
  });
  raw.close();
  await store.close();
  dir.remove();
  return { duban: dubanRate, raw: rawRate };
}

export const eventStoreSuite: BenchSuite = {
  name: 'event-store',
  async run(): Promise<BenchRow[]> {
    // interleave the measured pairs so background noise falls on both sides alike
    const seq = { duban: [] as number[], raw: [] as number[] };
    for (let i = 0; i < 3; i++) {
      seq.raw.push(await sequentialRaw());
      seq.duban.push(await sequentialDuban());
    }
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const sequential = mid(seq.duban);
    const rawSequential = mid(seq.raw);
    const conc = { duban: [] as number[], raw: [] as number[] };
    for (let i = 0; i < 3; i++) {
      conc.raw.push(await batchedRaw());
      conc.duban.push(await concurrentDuban());
    }
    const concurrent = mid(conc.duban);
    const rawBatched = mid(conc.raw);
    const emmettSeq = await median(3, async () => (await emmett(1, SEQUENTIAL)).rate);
    const emmettConc = await emmett(WRITERS, PER_WRITER);
    const read = await readAllBoth();
    return [
      {
        benchmark: 'durable sequential appends (1 event per append, fsync each)',
        unit: 'events/s',
        duban: sequential,
        baseline: rawSequential,
        baselineName: 'raw better-sqlite3, same pragmas, 1 row per transaction',
        better: 'higher',
        goal: '≥ 0.8× raw',
        met: sequential >= 0.8 * rawSequential,
      },
      {
        benchmark: `${WRITERS} concurrent appenders (group commit)`,
        unit: 'events/s',
        duban: concurrent,
        baseline: rawBatched,
        baselineName: `raw better-sqlite3, same pragmas, ${WRITERS} rows per fsynced transaction`,
        better: 'higher',
        goal: '≥ 0.8× raw',
        met: concurrent >= 0.8 * rawBatched,
        notes: `${(concurrent / sequential).toFixed(1)}× Duban's sequential rate`,
      },
      {
        benchmark: `full $all read (${READ_EVENTS.toLocaleString('en-US')} events, pages of 1000, JSON parsed)`,
        unit: 'events/s',
        duban: read.duban,
        baseline: read.raw,
        baselineName: 'raw SELECT scan of the same table, JSON parsed',
        better: 'higher',
        goal: '≥ 0.5× raw',
        met: read.duban >= 0.5 * read.raw,
      },
      {
        benchmark: 'sequential appends vs a peer event store',
        unit: 'events/s',
        duban: sequential,
        baseline: emmettSeq,
        baselineName: 'Emmett SQLite 0.38.5 (node sqlite3, WAL, default synchronous; no hash chain)',
        better: 'higher',
      },
      {
        benchmark: `${WRITERS} concurrent appenders vs a peer event store`,
        unit: 'events/s',
        duban: concurrent,
        baseline: emmettConc.rate,
        baselineName: 'Emmett SQLite 0.38.5, same workload',
        better: 'higher',
        notes:
          emmettConc.failed + emmettConc.unsettled > 0
            ? `Emmett: ${emmettConc.failed} of ${WRITERS * PER_WRITER} appends failed (SQLITE_BUSY) and ${emmettConc.unsettled} never settled within 30 s; its figure counts successful appends only`
            : undefined,
      },
    ];
  },
};
