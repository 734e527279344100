import { randomUUID } from 'node:crypto';
import { ChildProcess } from 'node:child_process';
import { Client, Pool } from 'pg';
import { sign } from 'jsonwebtoken';
import { EventToAppend, PostgresEventStore } from '@duban/event-store';
import { BenchRow, BenchSuite, scratchDir, timed } from './harness';
import { load, startServer } from './http.bench';
import { createTestDatabase, DEFAULT_PG_TEST_URL, postgresAnswers, TestDatabase } from '../support/postgres';

const SEQUENTIAL = 1000;
const WRITERS = 64;
const PER_WRITER = 60;
const READ_EVENTS = 50_000;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-000000';
const HASH = 'f'.repeat(64);

function event(i: number): EventToAppend {
  return {
    type: 'IssueRegistered',
    data: {
      issueId: randomUUID(),
      source: 'hotline',
      category: '作风建设',
      title: `窗口单位办事推诿扯皮 #${i}`,
      description: '群众反映某窗口工作人员对办事群众推诿，多次往返未办结，要求限期整改并反馈结果。',
      location: '行政服务中心三楼',
      reporter: { name: '李四', confidential: true },
      at: new Date().toISOString(),
      by: 'registrar-1',
    },
    metadata: { actor: { id: 'registrar-1', role: 'registrar' }, correlationId: randomUUID(), commandId: randomUUID() },
  };
}

/** the same table without Duban: a bigserial position, the same unique (stream_id, revision), autocommit INSERTs */
const RAW_TABLE = `CREATE TABLE raw_events (position bigserial PRIMARY KEY, id uuid NOT NULL, stream_id text NOT NULL,
  revision integer NOT NULL, type text NOT NULL, data text NOT NULL, metadata text NOT NULL, prev_hash text NOT NULL,
  hash text NOT NULL, UNIQUE (stream_id, revision))`;
const RAW_INSERT =
  'INSERT INTO raw_events (id, stream_id, revision, type, data, metadata, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)';
const rawRow = (stream: string, revision: number, i: number) => {
  const e = event(i);
  return [randomUUID(), stream, revision, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), HASH, HASH];
};

async function withDatabase<T>(run: (db: TestDatabase) => Promise<T>): Promise<T> {
  const db = await createTestDatabase();
  try {
    return await run(db);
  } finally {
    await db.drop();
  }
}

async function appends(): Promise<BenchRow[]> {
  return withDatabase(async (db) => {
    const store = new PostgresEventStore({ connectionString: db.url });
    const pool = new Pool({ connectionString: db.url, max: WRITERS });
    await pool.query(RAW_TABLE);
    const seqDuban = await timed(async () => {
      for (let i = 0; i < SEQUENTIAL; i++)
        await store.append(`seq-${i}`, [event(i)], { expectedRevision: 'no_stream' });
    });
    const seqRaw = await timed(async () => {
      for (let i = 0; i < SEQUENTIAL; i++) await pool.query(RAW_INSERT, rawRow(`seq-${i}`, 0, i));
    });
    const before = { ...store.stats };
    const concDuban = await timed(() =>
      Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          for (let i = 0; i < PER_WRITER; i++)
            await store.append(`conc-${w}`, [event(i)], { expectedRevision: i === 0 ? 'no_stream' : i - 1 });
        }),
      ),
    );
    const concRaw = await timed(() =>
      Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          for (let i = 0; i < PER_WRITER; i++) await pool.query(RAW_INSERT, rawRow(`conc-${w}`, i, i));
        }),
      ),
    );
    const stats = {
      appends: store.stats.appends - before.appends,
      transactions: store.stats.transactions - before.transactions,
    };
    await store.close();
    await pool.end();
    const rate = (n: number, ms: number) => n / (ms / 1000);
    const concurrent = rate(WRITERS * PER_WRITER, concDuban) / rate(WRITERS * PER_WRITER, concRaw);
    return [
      {
        benchmark: 'PostgreSQL: sequential appends, one at a time',
        unit: 'events/s',
        duban: rate(SEQUENTIAL, seqDuban),
        baseline: rate(SEQUENTIAL, seqRaw),
        baselineName: 'raw pg autocommit INSERT, synchronous_commit=on',
        better: 'higher',
      },
      {
        benchmark: `PostgreSQL: ${WRITERS} concurrent writers (group commit)`,
        unit: 'events/s',
        duban: rate(WRITERS * PER_WRITER, concDuban),
        baseline: rate(WRITERS * PER_WRITER, concRaw),
        baselineName: `raw pg INSERTs on ${WRITERS} connections, synchronous_commit=on`,
        better: 'higher',
        goal: '≥ 0.7× raw',
        met: concurrent >= 0.7,
        notes: `${stats.appends} appends in ${stats.transactions} transactions (hash chain, revision checks, append lock)`,
      },
    ];
  });
}

async function readAll(): Promise<BenchRow> {
  return withDatabase(async (db) => {
    const store = new PostgresEventStore({ connectionString: db.url });
    await Promise.all(
      Array.from({ length: 100 }, async (_, w) => {
        for (let i = 0; i < READ_EVENTS / 100 / 50; i++)
          await store.append(
            `issue-${w}`,
            Array.from({ length: 50 }, (_, k) => event(i * 50 + k)),
            { expectedRevision: i === 0 ? 'no_stream' : i * 50 - 1 },
          );
      }),
    );
    const dubanMs = await timed(async () => {
      for (let from = 0; ;) {
        const page = await store.readAll({ fromPosition: from, maxCount: 1000 });
        if (page.length === 0) break;
        from = page[page.length - 1].position;
      }
    });
    const client = new Client({ connectionString: db.url });
    await client.connect();
    const rawMs = await timed(async () => {
      for (let from = 0; ;) {
        const { rows } = await client.query<{ position: string }>(
          'SELECT * FROM events WHERE position > $1 ORDER BY position LIMIT 1000',
          [from],
        );
        if (rows.length === 0) break;
        from = Number(rows[rows.length - 1].position);
      }
    });
    await client.end();
    await store.close();
    const duban = READ_EVENTS / (dubanMs / 1000);
    const raw = READ_EVENTS / (rawMs / 1000);
    return {
      benchmark: `PostgreSQL: read $all (${READ_EVENTS.toLocaleString('en-US')} events, pages of 1000)`,
      unit: 'events/s',
      duban,
      baseline: raw,
      baselineName: 'raw SELECT scan of the same pages (rows not parsed)',
      better: 'higher',
      goal: '≥ 0.5× raw',
      met: duban >= 0.5 * raw,
    };
  });
}

/** autocannon against several servers at once; answers the summed rate and how many were not 2xx */
async function loadAll(urls: string[], token: string) {
  const results = await Promise.all(urls.map((u) => load(`${u}/api/v1/issues`, { authorization: `Bearer ${token}` })));
  return {
    rate: results.reduce((sum, r) => sum + r.requests.average, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx + r.errors, 0),
    total: results.reduce((sum, r) => sum + r.requests.total, 0),
  };
}

async function registrations(): Promise<BenchRow> {
  const token = sign({ sub: 'bench', name: 'bench', roles: ['registrar'] }, SECRET, {
    algorithm: 'HS256',
    expiresIn: '1h',
  });
  const common = {
    AUTH_JWT_SECRET: SECRET,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    // one master key for every node: an identity sealed on one node opens on the others
    PERSONAL_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
  };
  const stopAll = async (children: ChildProcess[]) => {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
  };
  const sqliteDir = scratchDir('pg-http-sqlite');
  const single = await startServer({ ...common, DATA_DIR: sqliteDir.path });
  const sqlite = await loadAll([`http://127.0.0.1:${single.port}`], token);
  await stopAll([single.child]);
  sqliteDir.remove();
  return withDatabase(async (db) => {
    const dirs = [0, 1, 2].map(() => scratchDir('pg-http'));
    const first = await startServer({ ...common, DATA_DIR: dirs[0].path, DATABASE_URL: db.url });
    const rest = await Promise.all(
      dirs.slice(1).map((d) => startServer({ ...common, DATA_DIR: d.path, DATABASE_URL: db.url })),
    );
    const servers = [first, ...rest];
    const pg = await loadAll(
      servers.map((s) => `http://127.0.0.1:${s.port}`),
      token,
    );
    await stopAll(servers.map((s) => s.child));
    for (const d of dirs) d.remove();
    return {
      benchmark: 'register issues over HTTP: 3 API nodes on PostgreSQL vs 1 node on SQLite (50 clients per node)',
      unit: 'req/s',
      duban: pg.rate,
      baseline: sqlite.rate,
      baselineName: 'one API node on the embedded SQLite store, same run',
      better: 'higher',
      notes: `${pg.total} registrations on PostgreSQL (${pg.non2xx} not 2xx), ${sqlite.total} on SQLite (${sqlite.non2xx} not 2xx); all nodes share this machine's 2 cores`,
    };
  });
}

export const postgresSuite: BenchSuite = {
  name: 'postgres',
  async run(): Promise<BenchRow[]> {
    process.env.PG_TEST_URL ??= DEFAULT_PG_TEST_URL;
    if (!(await postgresAnswers(process.env.PG_TEST_URL))) {
      process.stdout.write(
        `postgres: skipped — no PostgreSQL answers at ${process.env.PG_TEST_URL} (set PG_TEST_URL)\n`,
      );
      return [];
    }
    process.env.DUBAN_TEST_PG_PREFIX ??= `duban_bench_${process.pid}_`;
    return [...(await appends()), await readAll(), await registrations()];
  },
};
