import Database from 'better-sqlite3';
import autocannon from 'autocannon';
import { copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { programmeStream } from '@duban/application';
import { CommandActor, programmeDecider, ProgrammeCommand } from '@duban/domain';
import { deterministicUuid, EVENTS_FILE } from '@duban/event-store';
import { BenchRow, BenchSuite, scratchDir } from './harness';
import { startServer } from './http.bench';
import { LogEvent, writeLog } from './log-writer';
import { cachedLog, iso, IssueStep, StoryLog } from './story-log';

/** 300,000 events by default (the API catches up on them in about half a minute); BENCH_PROGRAMME_EVENTS to change */
const EVENTS = Number(process.env.BENCH_PROGRAMME_EVENTS ?? 300_000);
/** the programme's tasks among the issues: a large programme, far more than the seeds' 25 */
const TASKS = Number(process.env.BENCH_PROGRAMME_TASKS ?? 2_000);
const UNITS = 120;
const DAY = 86_400_000;
/** bump when the generator changes: the generated log is kept in the temp dir between runs */
const GENERATOR_VERSION = 2;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-000000';
const PROGRAMME = deterministicUuid('bench-programme');
const PHASES = Array.from({ length: 5 }, (_, i) => ({
  key: `battle-${i + 1}`,
  name: `第${i + 1}攻坚战`,
  from: '2025-01-01',
  to: '2025-12-31',
}));

const registrar: CommandActor = { id: 'registrar-1', role: 'registrar' };
const assessor: CommandActor = { id: 'assessor-1', role: 'assessor' };
const unitId = (k: number) => deterministicUuid(`bench-programme-unit-${k}`);
const officerOf = (unit: string): CommandActor => ({
  id: `officer-${unit.slice(0, 8)}`,
  role: 'unit_officer',
  unitId: unit,
});

type Step = IssueStep;

/** One issue's story: a task of the programme (every few issues, until TASKS) or any other issue. */
/** `task`: the task's rank in the programme, or null for any other issue */
function story(n: number, task: number | null, at: () => number): (() => Step)[] {
  const lead = unitId(n % UNITS);
  const co = [unitId((n + 7) % UNITS), unitId((n + 31) % UNITS)];
  const register = (): Step => ({
    type: 'RegisterIssue',
    actor: registrar,
    data: {
      source: task !== null ? 'supervision_team' : 'hotline',
      category: task !== null ? '效能风暴' : '作风建设',
      title: `${task !== null ? '攻坚任务' : '群众反映问题'} ${n}`,
      description: '限期完成并按月报送进度。',
      ...(task !== null ? { programmeId: PROGRAMME, phase: PHASES[task % PHASES.length].key } : {}),
    },
  });
  const assign = (): Step => ({
    type: 'AssignIssue',
    actor: registrar,
    data: {
      leadUnitId: lead,
      coUnitIds: co,
      responsiblePerson: { name: '王五', title: '局长' },
      // a spread of deadlines: some pass while the story is still open (overdue)
      deadline: iso(at() + (5 + (n % 40)) * DAY),
      mode: 'leader',
    },
  });
  const progress = (percent: number) => (): Step => ({
    type: 'ReportProgress',
    actor: officerOf(lead),
    data: { text: `月度进度 ${percent}%`, percent },
  });
  const result = (): Step => ({ type: 'ReportResult', actor: officerOf(lead), data: { summary: '已完成' } });
  const assess = (): Step => ({ type: 'AssessResult', actor: assessor, data: { verdict: 'satisfied' } });
  const close = (): Step => ({ type: 'CloseIssue', actor: registrar, data: { note: '销号' } });
  return n % 3 === 0
    ? [register, assign, progress(30), progress(60)]
    : [register, assign, progress(40), progress(80), result, assess, close];
}

/** Units, the programme, then interleaved issues of which TASKS are the programme's tasks. */
function* programmeLog(count: number, counted: { issues: number; tasks: number }): Generator<LogEvent> {
  const log = new StoryLog();
  yield* log.units(
    Array.from({ length: UNITS }, (_, k) => ({
      unitId: unitId(k),
      code: `P${String(k).padStart(3, '0')}`,
      name: `第${k}单位`,
    })),
  );
  const create: ProgrammeCommand = {
    type: 'CreateProgramme',
    data: {
      programmeId: PROGRAMME,
      name: '效能风暴行动',
      year: 2025,
      kind: 'campaign',
      period: { from: '2025-01-01', to: '2025-12-31' },
      phases: PHASES,
    },
    meta: { at: iso(log.clock), actor: registrar },
  };
  yield* log.emit(
    programmeStream(PROGRAMME),
    programmeDecider.decide(create, programmeDecider.initialState()),
    registrar,
  );
  let serial = 0;
  yield* log.stories(count, () => {
    const n = serial++;
    // tasks spread through the log, not bunched at its start
    const task = counted.tasks < TASKS && n % Math.max(1, Math.floor(count / 6 / TASKS)) === 0;
    counted.issues++;
    if (task) counted.tasks++;
    const steps = story(n, task ? counted.tasks - 1 : null, () => log.clock);
    return { issueId: deterministicUuid(`bench-programme-issue-${n}`), length: steps.length, step: (i) => steps[i]() };
  });
}

/** The generated log, made once per machine and size. */
export async function generatedLog(): Promise<{ file: string; events: number }> {
  const file = join(tmpdir(), `duban-bench-programme-v${GENERATOR_VERSION}-${EVENTS}-${TASKS}.sqlite`);
  await cachedLog(file, (store) => {
    const counted = { issues: 0, tasks: 0 };
    writeLog(store, programmeLog(EVENTS, counted));
    return `${EVENTS} events (${counted.issues} issues, ${counted.tasks} tasks)`;
  });
  const db = new Database(file, { readonly: true });
  const events = db.prepare('SELECT MAX(position) FROM events').pluck().get() as number;
  db.close();
  return { file, events };
}

function load(
  url: string,
  token: string | null,
  method: 'GET' | 'POST' = 'GET',
  duration = 10,
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon(
      {
        url,
        method,
        connections: 4,
        duration,
        ...(method === 'POST' ? { body: '{}', headers: { 'content-type': 'application/json' } } : {}),
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
      },
      (e, r) => (e ? reject(e) : resolve(r)),
    ),
  );
}

/** Polls until the API's read model has applied the whole log (its queries answer 503 until then). */
async function caughtUp(url: string, token: string, timeoutMs = 600_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (res.status === 200) return;
    if (Date.now() - started > timeoutMs) throw new Error(`the read model did not catch up (last ${res.status})`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

export const programmesSuite: BenchSuite = {
  name: 'programmes',
  async run(): Promise<BenchRow[]> {
    const log = await generatedLog();
    const dir = scratchDir('programmes');
    try {
      copyFileSync(log.file, join(dir.path, EVENTS_FILE));
      const started = Date.now();
      const { child, port } = await startServer({
        DATA_DIR: dir.path,
        AUTH_JWT_SECRET: SECRET,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: 'bench-programmes',
      });
      try {
        const token = (claims: object) =>
          sign({ sub: 'bench', ...claims }, SECRET, { algorithm: 'HS256', expiresIn: '1h' });
        const registrar = token({ roles: ['registrar'] });
        const officer = token({ roles: ['unit_officer'], unitId: unitId(7) });
        const base = `http://127.0.0.1:${port}`;
        const detail = `${base}/api/v1/programmes/${PROGRAMME}`;
        await caughtUp(`${detail}?minPosition=${log.events}`, registrar);
        const catchUp = (Date.now() - started) / 1000;
        // warm both paths (and let whatever the catch-up left behind, index builds and checkpoints, finish)
        await load(`${base}/api/v1/bench/constant`, null, 'POST', 3);
        await load(detail, registrar, 'GET', 3);
        const tasks = (
          (await (await fetch(detail, { headers: { authorization: `Bearer ${registrar}` } })).json()) as {
            tasks: { total: number; overdue: number };
          }
        ).tasks;
        const bare = await load(`${base}/api/v1/bench/constant`, null, 'POST');
        const size = `${log.events.toLocaleString('en-US')} events, programme of ${tasks.total.toLocaleString('en-US')} tasks (${tasks.overdue} overdue) over ${UNITS} units`;
        const rows: BenchRow[] = [];
        for (const [name, url, bearer] of [
          ['GET /programmes/:id (registrar: all tasks, by status, by unit, by phase)', detail, registrar],
          ["GET /programmes/:id (a unit officer: their unit's tasks only)", detail, officer],
          [
            "GET /issues?programmeId= (first page of 50 of the programme's tasks)",
            `${base}/api/v1/issues?programmeId=${PROGRAMME}&limit=50`,
            registrar,
          ],
        ] as const) {
          const result = await load(url, bearer);
          rows.push({
            benchmark: `${name}: p99, 4 clients`,
            unit: 'ms',
            duban: result.latency.p99,
            baseline: bare.latency.p99,
            baselineName: 'bare Nest endpoint returning a constant, same app and run',
            better: 'lower',
            goal: 'p99 < 50 ms',
            met: result.latency.p99 < 50 && result.non2xx === 0 && result.errors === 0,
            notes: `${size}; ${Math.round(result.requests.average)} req/s, ${result.non2xx + result.errors} not 2xx; the API started and caught up on the log in ${catchUp.toFixed(0)} s`,
          });
        }
        return rows;
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    } finally {
      dir.remove();
    }
  },
};
