import { copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import Database from 'better-sqlite3';
import { CommandActor } from '@duban/domain';
import { deterministicUuid, EVENTS_FILE } from '@duban/event-store';
import { BenchRow, BenchSuite, scratchDir } from './harness';
import { startServer } from './http.bench';
import { afterTheLog, get, monthFrom, QUESTIONS } from './projections.bench';
import { LogEvent, writeLog } from './log-writer';
import { cachedLog, iso, IssueStep, StoryLog } from './story-log';

/**
 * 200,000 events by default (about 25k issues; the API catches up on them in about a minute on two busy cores);
 * BENCH_STATS_EVENTS to change. The log is generated here (the stories of a Baoji-like year: joint assignments,
 * on-the-spot resolutions, reopenings, lists), every event decided by the domain's own decider.
 */
const EVENTS = Number(process.env.BENCH_STATS_EVENTS ?? 200_000);
const BATCH = 500;
const UNITS = 120;
const DAY = 86_400_000;
/** bump when the generator changes: the generated log is kept in the temp dir between runs */
const GENERATOR_VERSION = 1;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-000000';
const AGENCIES = ['市信访局', '市考核办', '市审计局'];

const registrar: CommandActor = { id: 'registrar-1', role: 'registrar' };
const assessor: CommandActor = { id: 'assessor-1', role: 'assessor' };
const unitId = (k: number) => deterministicUuid(`bench-stats-unit-${k}`);
const officerOf = (unit: string): CommandActor => ({
  id: `officer-${unit.slice(0, 8)}`,
  role: 'unit_officer',
  unitId: unit,
});
type Step = IssueStep;

/** One issue's story; n picks it (a third joint, a tenth resolved on the spot, some reopened, some listed). */
function story(n: number, at: () => number): (() => Step)[] {
  const lead = unitId(n % UNITS);
  const register = (): Step => ({
    type: 'RegisterIssue',
    actor: registrar,
    data: {
      source: ['petition', 'hotline', 'supervision_team', 'inspection', 'self_inspection'][n % 5],
      category: ['作风建设', '营商环境', '民生服务', '窗口服务'][n % 4],
      title: `群众反映问题 ${n}`,
      description: '限期整改并反馈结果。',
    },
  });
  if (n % 10 === 0)
    return [register, () => ({ type: 'ResolveOnSpot', actor: registrar, data: { summary: '当场整改' } })];
  const joint = n % 3 === 0;
  const assign = (): Step => ({
    type: 'AssignIssue',
    actor: registrar,
    data: {
      leadUnitId: lead,
      coUnitIds: [unitId((n + 7) % UNITS)],
      responsiblePerson: { name: '王五', title: '局长' },
      deadline: iso(at() + (5 + (n % 40)) * DAY),
      mode: joint ? 'joint' : n % 2 ? 'leader' : 'counterpart',
      ...(joint ? { partnerAgencies: [AGENCIES[n % 3 === 0 ? (n / 3) % 3 : 0]] } : {}),
    },
  });
  const progress = (): Step => ({
    type: 'ReportProgress',
    actor: officerOf(lead),
    data: { text: '按月报送', percent: 50 },
  });
  const result = (): Step => ({ type: 'ReportResult', actor: officerOf(lead), data: { summary: '已整改' } });
  const assess = (verdict: string) => (): Step => ({
    type: 'AssessResult',
    actor: assessor,
    data: { verdict, ...(verdict === 'unsatisfied' ? { newDeadline: iso(at() + 20 * DAY) } : {}) },
  });
  const close = (): Step => ({ type: 'CloseIssue', actor: registrar, data: {} });
  const list = (which: string) => (): Step => ({
    type: 'ListIssue',
    actor: registrar,
    data: { list: which, reason: '典型' },
  });
  if (n % 7 === 0)
    return [register, assign, progress, result, assess('unsatisfied'), result, assess('satisfied'), close];
  if (n % 11 === 0) return [register, assign, progress, list('black')];
  if (n % 13 === 0) return [register, assign, result, assess('satisfied'), close, list('red')];
  return n % 4 === 1 ? [register, assign, progress] : [register, assign, progress, result, assess('satisfied'), close];
}

function* statsLog(count: number, counted: { issues: number }): Generator<LogEvent> {
  const log = new StoryLog();
  yield* log.units(
    Array.from({ length: UNITS }, (_, k) => ({
      unitId: unitId(k),
      code: `S${String(k).padStart(3, '0')}`,
      name: `第${k}单位`,
    })),
  );
  let serial = 0;
  yield* log.stories(count, () => {
    const n = serial++;
    counted.issues++;
    const steps = story(n, () => log.clock);
    return { issueId: deterministicUuid(`bench-stats-issue-${n}`), length: steps.length, step: (i) => steps[i]() };
  });
}

export async function generatedLog(): Promise<{ file: string; events: number }> {
  const file = join(tmpdir(), `duban-bench-stats-v${GENERATOR_VERSION}-${EVENTS}.sqlite`);
  await cachedLog(file, (store) => {
    const counted = { issues: 0 };
    writeLog(store, statsLog(EVENTS, counted));
    return `${EVENTS} events (${counted.issues} issues)`;
  });
  const db = new Database(file, { readonly: true });
  const events = db.prepare('SELECT MAX(position) FROM events').pluck().get() as number;
  db.close();
  return { file, events };
}

async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

const assignment = (k: number) => ({
  leadUnitId: unitId(k % UNITS),
  responsiblePerson: { name: '王五', title: '局长' },
  deadlineWorkingDays: 15,
  mode: 'joint',
  partnerAgencies: ['市信访局'],
});

/** `/stats?basis=event` on a read model of a generated year, and a 500-item assignment batch. */
export const statsSuite: BenchSuite = {
  name: 'stats',
  async run(): Promise<BenchRow[]> {
    const { file: log, events } = await generatedLog();
    const dir = scratchDir('stats');
    copyFileSync(log, join(dir.path, EVENTS_FILE));
    const { child, port } = await startServer({
      DATA_DIR: dir.path,
      AUTH_JWT_SECRET: SECRET,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'bench-stats',
      // the API refuses to start in production without the reporters' master key
      PERSONAL_DATA_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    try {
      const registrar = sign({ sub: 'bench', roles: ['registrar'] }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
      const base = `http://127.0.0.1:${port}`;
      // the API catches up on the log by itself: wait until its read model has applied every event
      const caughtUp = Date.now();
      for (;;) {
        const res = await fetch(`${base}/api/v1/stats?minPosition=${events}`, {
          headers: { authorization: `Bearer ${registrar}` },
        });
        if (res.status === 200) break;
        if (Date.now() - caughtUp > 600_000) throw new Error('the read model did not catch up in 10 minutes');
      }
      const catchUpSeconds = (Date.now() - caughtUp) / 1000;
      const bare = await get(base, null, '/api/v1/bench/constant');
      // the generated log runs from 2025-01-01 on, 30 s per event: a month's window lies inside it, from one
      // midnight of the agency (TZ_AGENCY, Asia/Shanghai by default) to another, as an agency asks for "this month";
      // each request's window starts a day later than the one before (250 windows, then again)
      const month = (k: number) => monthFrom('2025-01-15T00:00:00+08:00', k);
      // the same spans between UTC midnights: their edges (8 and 16 hours) fall inside agency days, counted from rows
      const utcMonth = (k: number) => monthFrom('2025-01-15T00:00:00Z', k);
      const queries: [string, (k: number) => string][] = [
        ['GET /stats?basis=event (a month)', (k) => `/api/v1/stats?basis=event&${month(k)}`],
        ['GET /stats?basis=event (a month between UTC midnights)', (k) => `/api/v1/stats?basis=event&${utcMonth(k)}`],
        ['GET /stats?basis=event (whole log)', (k) => `/api/v1/stats?basis=event&${afterTheLog(k)}`],
        [
          'GET /stats?basis=event (one unit, a month)',
          (k) => `/api/v1/stats?basis=event&unitId=${unitId(k % UNITS)}&${month(k)}`,
        ],
        ['GET /stats (basis=registered, all issues)', (k) => `/api/v1/stats?${afterTheLog(k)}`],
        // a dashboard asking the same question again: answered from the API's remembered answers
        ['GET /stats?basis=event (the same month asked again)', () => `/api/v1/stats?basis=event&${month(0)}`],
      ];
      const rows: BenchRow[] = [];
      for (const [name, path] of queries) {
        const result = await get(base, registrar, path);
        const repeated = name.includes('asked again');
        rows.push({
          benchmark: `${name}: p99 on the read model of ${events.toLocaleString('en-US')} events, 4 clients`,
          unit: 'ms',
          duban: result.latency.p99,
          baseline: bare.latency.p99,
          baselineName: 'bare Nest endpoint, same app and run',
          better: 'lower',
          goal: 'p99 < 50 ms',
          met: result.latency.p99 < 50 && result.non2xx === 0,
          notes: `${Math.round(result.requests.average)} req/s, ${result.non2xx} not 2xx; ${repeated ? 'one question, its answer remembered' : `${QUESTIONS} different questions in turn, none answered from memory`}; the API caught up on the log in ${catchUpSeconds.toFixed(0)} s`,
        });
      }
      // 交办会: 500 items in one batch, beside the same 500 assignments as single POST /issues/:id/assign calls
      const register = async () =>
        (
          await call(base, registrar, 'POST', '/api/v1/issues', {
            source: 'petition',
            category: '作风建设',
            title: '交办会待交办问题',
            description: '集中交办',
          })
        ).id as string;
      const singles: string[] = [];
      const batched: string[] = [];
      for (let i = 0; i < BATCH; i++) singles.push(await register());
      for (let i = 0; i < BATCH; i++) batched.push(await register());
      let started = performance.now();
      for (const [k, id] of singles.entries())
        await call(base, registrar, 'POST', `/api/v1/issues/${id}/assign`, assignment(k));
      const singleMs = performance.now() - started;
      started = performance.now();
      const answer = await call(base, registrar, 'POST', '/api/v1/assignment-batches', {
        meeting: { date: '2025-03-02', name: '集中交办会', presidedBy: { name: '张三', title: '市委副书记' } },
        items: batched.map((issueId, k) => ({ issueId, ...assignment(k) })),
      });
      const batchMs = performance.now() - started;
      const applied = (answer.results as { status: number }[]).filter((r) => r.status === 200).length;
      rows.push({
        benchmark: `POST /assignment-batches with ${BATCH} items (交办会), each applied through the assignment path`,
        unit: 'ms',
        duban: batchMs,
        baseline: singleMs,
        baselineName: `the same ${BATCH} assignments as single POST /issues/:id/assign calls, one after the other`,
        better: 'lower',
        goal: '≤ 2,000 ms',
        met: batchMs <= 2000 && applied === BATCH,
        notes: `${applied} of ${BATCH} items applied`,
      });
      return rows;
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      dir.remove();
    }
  },
};
