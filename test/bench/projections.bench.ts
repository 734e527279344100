import Database from 'better-sqlite3';
import autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { EVENTS_FILE } from '@duban/event-store';
import { BenchRow, BenchSuite, scratchDir, timed } from './harness';
import { generatedUnitId, generateLifecycleLog } from './lifecycle-log-generator';
import { startServer } from './http.bench';
import { cachedLog } from './story-log';

/** 1,000,000 by default (about 100k issues); BENCH_PROJECTION_EVENTS=100000 for a quicker run */
const EVENTS = Number(process.env.BENCH_PROJECTION_EVENTS ?? 1_000_000);
/** bump when the generator changes: the generated log is kept in the temp dir between runs */
const GENERATOR_VERSION = 2;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-000000';
const ROOT = join(__dirname, '../..');
/**
 * BENCH_ONLY=queries skips the raw scan and the rebuild rows and measures the queries on a data dir kept in the temp
 * dir between runs (the API builds its read model there on its first start, and again when the projection changes)
 */
const QUERIES_ONLY = process.env.BENCH_ONLY === 'queries';

/**
 * The generated log, made once per machine (a million decided, hashed events take a minute or two).
 * `stepsPerIssue` cuts every issue's story short (the scaling suite's million issues).
 */
export async function generatedLog(events = EVENTS, options: { stepsPerIssue?: number } = {}): Promise<string> {
  const shape = options.stepsPerIssue ? `-steps${options.stepsPerIssue}` : '';
  const file = join(tmpdir(), `duban-bench-lifecycle-v${GENERATOR_VERSION}-${events}${shape}.sqlite`);
  return cachedLog(file, (store) => {
    const { issues } = generateLifecycleLog(store, events, options);
    return `${events} events (${issues} issues)`;
  });
}

/** The baseline: every event read in order from the same table and its JSON parsed, nothing applied. */
export function rawScan(file: string): Promise<number> {
  const db = new Database(file, { readonly: true });
  let n = 0;
  return timed(() => {
    for (const row of db.prepare('SELECT * FROM events ORDER BY position').iterate() as IterableIterator<{
      data: string;
      metadata: string;
    }>) {
      JSON.parse(row.data);
      JSON.parse(row.metadata);
      n++;
    }
  }).then((ms) => (db.close(), n / (ms / 1000)));
}

/** the heap cap of package.json's `projections` script and of the compiled CLI's command in the README */
const REBUILD_HEAP_CAP = '--max-old-space-size=160';
let built: Promise<void> | undefined;

/** `npm run build` once per bench process: the rebuild runs from compiled JS, as the Docker image runs it. */
function buildOnce(): Promise<void> {
  built ??= new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build exited ${code}`))));
  });
  return built;
}

/**
 * The rebuild CLI as its own process, so its RSS is the rebuild's alone, from `dist/` as production runs it (not
 * through swc's run-time compiler, which alone adds ~60 MB of RSS and seconds of start-up to the figures).
 */
export async function rebuildCli(
  dataDir: string,
): Promise<{ position: number; seconds: number; eventsPerSecond: number; maxRssMb: number }> {
  await buildOnce();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [REBUILD_HEAP_CAP, 'dist/apps/projections-cli/src/main.js', 'rebuild', '--data-dir', dataDir],
      { cwd: ROOT, env: { ...process.env, NODE_ENV: 'development' } },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`rebuild exited ${code}: ${err}`)),
    );
  });
}

/**
 * 4 clients for 5 s on `base`. `path(k)` gives the k-th request's path: the API remembers answers (`/stats`) until its
 * read model moves, so a query measured for its work asks a different question each time — more than the API
 * remembers — and never a remembered one.
 */
export function get(
  base: string,
  token: string | null,
  path: string | ((k: number) => string),
): Promise<autocannon.Result> {
  const pathOf = typeof path === 'string' ? () => path : path;
  let asked = 0;
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url: `${base}${pathOf(0)}`,
        connections: 4,
        duration: 5,
        headers: token ? { authorization: `Bearer ${token}` } : {},
        requests: [{ setupRequest: (request) => ({ ...request, path: pathOf(asked++) }) }],
      },
      (e, r) => (e ? reject(e) : resolve(r)),
    ),
  );
}

/** distinct questions a query cycles through: more than the API's 64 remembered answers */
export const QUESTIONS = 250;
const DAY_MS = 86_400_000;
/** `to=` a day `k` (of QUESTIONS) after every generated log ends, at an agency midnight: all of it, asked anew */
export const afterTheLog = (k: number) =>
  `to=${encodeURIComponent(new Date(Date.parse('2040-01-01T00:00:00+08:00') + (k % QUESTIONS) * DAY_MS).toISOString())}`;
/** a month's window from `start` (an ISO instant) shifted by `k` (of QUESTIONS) whole days */
export const monthFrom = (start: string, k: number) => {
  const from = new Date(Date.parse(start) + (k % QUESTIONS) * DAY_MS);
  const to = new Date(from);
  to.setUTCMonth(to.getUTCMonth() + 1);
  return `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
};

/** The rebuild row: a copy of the log scanned raw, then rebuilt into a read model by the CLI. */
async function rebuildRows(dataDir: string, log: string): Promise<BenchRow[]> {
  copyFileSync(log, join(dataDir, EVENTS_FILE));
  const raw = await rawScan(join(dataDir, EVENTS_FILE));
  const rebuilt = await rebuildCli(dataDir);
  return [
    {
      benchmark: `rebuild the read model from ${EVENTS.toLocaleString('en-US')} lifecycle events (units, issues + full text, inbox, appraisals)`,
      unit: 'events/s',
      duban: rebuilt.eventsPerSecond,
      baseline: raw,
      baselineName: 'raw SELECT scan of the same events table, JSON parsed, nothing applied',
      better: 'higher',
      goal: '≥ 50,000 events/s',
      met: rebuilt.eventsPerSecond >= 50_000,
      notes: `${rebuilt.position.toLocaleString('en-US')} events in ${rebuilt.seconds.toFixed(1)} s; peak RSS of the rebuilding process ${rebuilt.maxRssMb} MB (goal ≤ 300 MB: ${rebuilt.maxRssMb <= 300 ? 'met' : '**not met**'})`,
    },
  ];
}

/** BENCH_ONLY=queries: a data dir beside the generated log, kept (with its read model) for the next run. */
function keptDir(log: string): { path: string; remove(): void } {
  const path = log.replace(/\.sqlite$/, '-data');
  mkdirSync(path, { recursive: true });
  if (!existsSync(join(path, EVENTS_FILE))) copyFileSync(log, join(path, EVENTS_FILE));
  return { path, remove: () => undefined };
}

export const projectionsSuite: BenchSuite = {
  name: 'projections',
  async run(): Promise<BenchRow[]> {
    const log = await generatedLog();
    const dir = QUERIES_ONLY ? keptDir(log) : scratchDir('projections');
    try {
      const rows: BenchRow[] = QUERIES_ONLY ? [] : await rebuildRows(dir.path, log);
      const { child, port } = await startServer({
        DATA_DIR: dir.path,
        AUTH_JWT_SECRET: SECRET,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: 'bench-projections',
      });
      try {
        const registrar = sign({ sub: 'bench', roles: ['registrar'] }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
        const base = `http://127.0.0.1:${port}`;
        const bare = await get(base, null, '/api/v1/bench/constant');
        // [row, path (of the k-th request), p99 goal in ms]
        const queries: [string, string | ((k: number) => string), number][] = [
          ['GET /issues (first page of 50, newest first)', '/api/v1/issues?limit=50&sort=-registeredAt', 50],
          [
            'GET /issues filtered (one unit, status, overdue)',
            `/api/v1/issues?limit=50&unitId=${generatedUnitId(7)}&status=in_progress&overdue=true`,
            30,
          ],
          [
            'GET /issues full text (Chinese, 3+ characters)',
            `/api/v1/issues?limit=50&q=${encodeURIComponent('推诿扯皮')}`,
            50,
          ],
          // every issue, asked each time with another `to` past the log's end: never a remembered answer
          ['GET /stats (all issues)', (k) => `/api/v1/stats?${afterTheLog(k)}`, 50],
          ['GET /stats (one unit)', (k) => `/api/v1/stats?unitId=${generatedUnitId(7)}&${afterTheLog(k)}`, 50],
        ];
        for (const [name, path, goalMs] of queries) {
          const result = await get(base, registrar, path);
          rows.push({
            benchmark: `${name}: p99 on that read model, 4 clients`,
            unit: 'ms',
            duban: result.latency.p99,
            baseline: bare.latency.p99,
            baselineName: 'bare Nest endpoint, same app and run',
            better: 'lower',
            goal: `p99 < ${goalMs} ms`,
            met: result.latency.p99 < goalMs && result.non2xx === 0,
            notes: `${Math.round(result.requests.average)} req/s, ${result.non2xx} not 2xx`,
          });
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      return rows;
    } finally {
      dir.remove();
    }
  },
};
