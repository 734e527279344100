import Database from 'better-sqlite3';
import { copyFileSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { sign } from 'jsonwebtoken';
import { EVENTS_FILE } from '@duban/event-store';
import { BenchRow, BenchSuite, scratchDir } from './harness';
import { ChartPanel, ChartPoint, shortNumber, writeChart } from './charts';
import { afterTheLog, generatedLog, get, rawScan, rebuildCli } from './projections.bench';
import { startServer } from './http.bench';
import { lateness } from './deadlines.bench';
import { dubanVerify, rawHashPass } from './audit.bench';

/**
 * How cost grows with the work: the same measurements at three sizes each, drawn as charts beside
 * results/latest.md and summed up in the README between the scaling markers. BENCH_SCALING=small runs the
 * whole pipeline on sizes a tenth to a thirtieth as large; BENCH_SCALING_SERIES=rebuild,verify runs only
 * the named series (the README section and charts then show only those).
 */
const SMALL = process.env.BENCH_SCALING === 'small';
const SIZES = SMALL
  ? {
      rebuildEvents: [10_000, 30_000, 100_000],
      queryIssues: [3_000, 10_000, 30_000],
      reminders: [100, 1_000, 3_000],
      verifyEvents: [10_000, 100_000],
    }
  : {
      rebuildEvents: [100_000, 1_000_000, 3_000_000],
      queryIssues: [10_000, 100_000, 1_000_000],
      reminders: [1_000, 10_000, 50_000],
      verifyEvents: [100_000, 1_000_000],
    };
const SERIES = ['rebuild', 'queries', 'reminders', 'verify'] as const;
type SeriesName = (typeof SERIES)[number];
const WANTED = (process.env.BENCH_SCALING_SERIES ?? SERIES.join(',')).split(',') as SeriesName[];

/** a million issues of ten events each would be a ten-million-event log: the query series' issues stop after two */
const STEPS_PER_ISSUE = 2;
/** the rebuild must not grow with the log: the largest log's figures against the smallest's */
const FLAT = 0.8;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-000000';
const RESULTS = join(__dirname, 'results');
const README = join(__dirname, '../../README.md');
/** the charts of a small run say so under their title */
const SUBTITLE = SMALL ? 'small run (BENCH_SCALING=small), not the full sizes' : undefined;

const count = (n: number) => n.toLocaleString('en-US');
const progress = (line: string) => process.stdout.write(`  ${line}\n`);

/** One series' outcome: its rows for the table, its chart, and its line of the README's summary. */
interface SeriesResult {
  rows: BenchRow[];
  chart: { file: string; title: string; panels: ChartPanel[] };
  summary: { measure: string; points: ChartPoint[]; unit: string; sizeName: string }[];
}

/** What failed at one size, as a row (the other sizes still run). */
function failedRow(benchmark: string, unit: string, error: unknown): BenchRow {
  return {
    benchmark,
    unit,
    duban: 0,
    baseline: null,
    baselineName: '—',
    better: 'higher',
    notes: `failed: ${(error as Error).message.split('\n')[0].slice(0, 300)}`,
  };
}

/** The projections suite's rebuild (its own process, `npm run projections -- rebuild`) on its generated logs. */
async function rebuildSeries(): Promise<SeriesResult> {
  const rows: BenchRow[] = [];
  const points: ChartPoint[] = [];
  const rss: ChartPoint[] = [];
  for (const events of SIZES.rebuildEvents) {
    const benchmark = `scaling: rebuild the read model from ${count(events)} lifecycle events`;
    const log = await generatedLog(events);
    const dir = scratchDir('scaling-rebuild');
    try {
      // the rebuild opens the log read-only: a link spares copying gigabytes
      symlinkSync(log, join(dir.path, EVENTS_FILE));
      const raw = await rawScan(log);
      const rebuilt = await rebuildCli(dir.path);
      points.push(
        { x: events, y: rebuilt.eventsPerSecond, series: 'Duban rebuild' },
        { x: events, y: raw, series: 'raw scan' },
      );
      rss.push({ x: events, y: rebuilt.maxRssMb, series: 'peak RSS of the rebuilding process' });
      progress(
        `rebuild ${count(events)} events: ${rebuilt.eventsPerSecond} events/s, ${rebuilt.maxRssMb} MB (raw scan ${Math.round(raw)}/s)`,
      );
      rows.push({
        benchmark,
        unit: 'events/s',
        duban: rebuilt.eventsPerSecond,
        baseline: raw,
        baselineName: 'raw SELECT scan of the same events table, JSON parsed, nothing applied',
        better: 'higher',
        goal: '≥ 50,000 events/s; peak RSS ≤ 300 MB',
        met: rebuilt.eventsPerSecond >= 50_000 && rebuilt.maxRssMb <= 300,
        notes: `${count(rebuilt.position)} events in ${rebuilt.seconds.toFixed(1)} s; peak RSS ${rebuilt.maxRssMb} MB`,
      });
    } catch (error) {
      rows.push({
        ...failedRow(benchmark, 'events/s', error),
        goal: '≥ 50,000 events/s; peak RSS ≤ 300 MB',
        met: false,
      });
    } finally {
      dir.remove();
    }
  }
  const duban = points.filter((p) => p.series === 'Duban rebuild');
  if (duban.length >= 2) {
    const [first, last] = [duban[0], duban[duban.length - 1]];
    const [firstRss, lastRss] = [rss[0], rss[rss.length - 1]];
    rows.push(
      {
        benchmark: `scaling: rebuild rate at ${count(last.x)} events against ${count(first.x)}`,
        unit: 'events/s',
        duban: last.y,
        baseline: first.y,
        baselineName: `the same rebuild of ${count(first.x)} events`,
        better: 'higher',
        goal: `flat: ≥ ${FLAT}×`,
        met: last.y >= FLAT * first.y,
      },
      {
        benchmark: `scaling: rebuild peak RSS at ${count(last.x)} events against ${count(first.x)} (must not grow with the log)`,
        unit: 'MB',
        duban: lastRss.y,
        baseline: firstRss.y,
        baselineName: `the same rebuild of ${count(first.x)} events`,
        better: 'lower',
        goal: `flat: ≥ ${FLAT}× (at most ${1 / FLAT}× the smaller log's)`,
        met: lastRss.y * FLAT <= firstRss.y,
      },
    );
  }
  return {
    rows,
    chart: {
      file: 'scaling-rebuild.png',
      title: 'Rebuilding the read model as the log grows',
      panels: [
        {
          title: 'events/s (higher is better)',
          xTitle: 'lifecycle events in the log',
          yTitle: 'events/s',
          points,
          goal: { y: 50_000, label: 'goal ≥ 50k events/s' },
        },
        {
          title: 'peak RSS of the rebuild (flat is the goal)',
          xTitle: 'lifecycle events in the log',
          yTitle: 'MB',
          points: rss,
          goal: { y: 300, label: 'goal ≤ 300 MB' },
        },
      ],
    },
    summary: [
      { measure: 'rebuild', points: duban, unit: 'events/s', sizeName: 'events' },
      { measure: 'rebuild peak RSS', points: rss, unit: 'MB', sizeName: 'events' },
    ],
  };
}

const QUERIES: [string, string | ((k: number) => string)][] = [
  ['GET /issues first page', '/api/v1/issues?limit=50&sort=-registeredAt'],
  ['GET /issues full text', `/api/v1/issues?limit=50&q=${encodeURIComponent('推诿扯皮')}`],
  // another `to` past the log's end each time: answered, never remembered
  ['GET /stats', (k) => `/api/v1/stats?${afterTheLog(k)}`],
];

/** p99 of the projections suite's queries (4 clients, 5 s each) on read models of growing issue counts. */
async function querySeries(): Promise<SeriesResult> {
  const rows: BenchRow[] = [];
  const points: ChartPoint[] = [];
  const token = sign({ sub: 'bench', roles: ['registrar'] }, SECRET, { algorithm: 'HS256', expiresIn: '2h' });
  for (const wanted of SIZES.queryIssues) {
    const log = await generatedLog(wanted * STEPS_PER_ISSUE, { stepsPerIssue: STEPS_PER_ISSUE });
    const dir = scratchDir('scaling-queries');
    try {
      // a copy: the API opens its log for writing
      copyFileSync(log, join(dir.path, EVENTS_FILE));
      const issues = registeredIssues(log);
      const rebuilt = await rebuildCli(dir.path);
      const { child, port } = await startServer({
        DATA_DIR: dir.path,
        AUTH_JWT_SECRET: SECRET,
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        QUEUE_PREFIX: 'bench-scaling',
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        const bare = await get(base, null, '/api/v1/bench/constant');
        points.push({ x: issues, y: bare.latency.p99, series: 'bare Nest endpoint' });
        for (const [name, path] of QUERIES) {
          const result = await get(base, token, path);
          points.push({ x: issues, y: result.latency.p99, series: name });
          progress(`${name} at ${count(issues)} issues: p99 ${result.latency.p99} ms (bare ${bare.latency.p99} ms)`);
          rows.push({
            benchmark: `scaling: ${name} at ${count(issues)} issues: p99, 4 clients`,
            unit: 'ms',
            duban: result.latency.p99,
            baseline: bare.latency.p99,
            baselineName: 'bare Nest endpoint, same app and run',
            better: 'lower',
            notes: `${Math.round(result.requests.average)} req/s, ${result.non2xx} not 2xx; read model rebuilt from ${count(rebuilt.position)} events (${STEPS_PER_ISSUE} per issue) in ${rebuilt.seconds.toFixed(1)} s`,
          });
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    } catch (error) {
      rows.push(failedRow(`scaling: queries at ${count(wanted)} issues`, 'ms', error));
    } finally {
      dir.remove();
    }
  }
  return {
    rows,
    chart: {
      file: 'scaling-queries.png',
      title: 'Queries as the issues grow: p99 with 4 clients',
      panels: [{ title: 'p99 latency (lower is better)', xTitle: 'issues in the read model', yTitle: 'ms', points }],
    },
    summary: QUERIES.map(([name]) => ({
      measure: `${name} p99`,
      points: points.filter((p) => p.series === name),
      unit: 'ms',
      sizeName: 'issues',
    })),
  };
}

/** The issues in a log: the first event of each `issue-…` stream, counted on the stream index (no table scan). */
function registeredIssues(log: string): number {
  const db = new Database(log, { readonly: true });
  try {
    const first =
      "SELECT count(*) AS n FROM events WHERE stream_id > 'issue-' AND stream_id < 'issue.' AND revision = 0";
    return (db.prepare(first).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The deadlines suite's lateness (one worker process) with more reminders due in the same second each time. */
async function reminderSeries(): Promise<SeriesResult> {
  const rows: BenchRow[] = [];
  const points: ChartPoint[] = [];
  for (const reminders of SIZES.reminders) {
    try {
      // past 15,000, writing the issues and scheduling their reminders outlasts the deadlines suite's lead
      // (45 s, or BENCH_LEAD_MS): 3 ms per reminder
      const [row] = await lateness(1, reminders, reminders > 15_000 ? reminders * 3 : undefined);
      points.push({ x: reminders, y: row.duban, series: 'Duban worker' });
      progress(
        `${count(reminders)} reminders: p99 lateness ${row.duban.toFixed(2)} s (raw ${row.baseline?.toFixed(2)} s)`,
      );
      if (row.baseline !== null) points.push({ x: reminders, y: row.baseline, series: 'raw BullMQ, no-op processor' });
      // the goal belongs to the deadlines suite's 10,000; here the figures only show the growth
      rows.push({ ...row, benchmark: `scaling: ${row.benchmark}`, goal: undefined, met: undefined });
    } catch (error) {
      rows.push(failedRow(`scaling: ${count(reminders)} reminders due in the same second`, 's', error));
    }
  }
  return {
    rows,
    chart: {
      file: 'scaling-reminders.png',
      title: 'Reminders due in the same second, one worker',
      panels: [
        {
          title: 'p99 lateness after the due time (lower is better)',
          xTitle: 'reminders due in the same second',
          yTitle: 's',
          points,
          goal: { y: 2, label: 'goal at 10k: ≤ 2 s' },
        },
      ],
    },
    summary: [
      {
        measure: 'reminder p99 lateness',
        points: points.filter((p) => p.series === 'Duban worker'),
        unit: 's',
        sizeName: 'reminders',
      },
    ],
  };
}

/** The audit suite's verify and its raw hash pass, on the rebuild series' lifecycle logs (no other log to make). */
async function verifySeries(): Promise<SeriesResult> {
  const rows: BenchRow[] = [];
  const points: ChartPoint[] = [];
  for (const events of SIZES.verifyEvents) {
    const benchmark = `scaling: verify ${count(events)} lifecycle events (hash chains + running digest)`;
    try {
      const log = await generatedLog(events);
      const raw = await rawHashPass(log);
      const verify = await dubanVerify(log);
      progress(`verify ${count(events)} events: ${Math.round(verify)}/s (raw hash ${Math.round(raw)}/s)`);
      points.push(
        { x: events, y: verify, series: 'Duban verify' },
        { x: events, y: raw, series: 'one SHA-256 per event' },
      );
      rows.push({
        benchmark,
        unit: 'events/s',
        duban: verify,
        baseline: raw,
        baselineName: 'one SHA-256 per event over the same rows, no checks',
        better: 'higher',
      });
    } catch (error) {
      rows.push(failedRow(benchmark, 'events/s', error));
    }
  }
  return {
    rows,
    chart: {
      file: 'scaling-verify.png',
      title: 'Verifying the log as it grows',
      panels: [
        { title: 'events/s (higher is better)', xTitle: 'lifecycle events in the log', yTitle: 'events/s', points },
      ],
    },
    summary: [
      {
        measure: 'verify',
        points: points.filter((p) => p.series === 'Duban verify'),
        unit: 'events/s',
        sizeName: 'events',
      },
    ],
  };
}

const RUNNERS: Record<SeriesName, () => Promise<SeriesResult>> = {
  rebuild: rebuildSeries,
  queries: querySeries,
  reminders: reminderSeries,
  verify: verifySeries,
};

/** The README's scaling section: the charts, and each series' figures at each size. */
function readmeSection(results: SeriesResult[], load: number): string {
  const size = SMALL ? 'a small run (`BENCH_SCALING=small`: sizes a tenth or less of the full run)' : 'full size';
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, ${size}, load average ${load.toFixed(1)} when it started.`,
    '',
    '| series | figure at each size | chart |',
    '| --- | --- | --- |',
  ];
  for (const result of results)
    for (const s of result.summary)
      lines.push(
        `| ${s.measure} (${s.unit}) | ${s.points.map((p) => `${shortNumber(p.x)} ${s.sizeName}: ${shortNumber(p.y)}`).join(' · ') || 'failed'} | [${result.chart.file}](test/bench/results/${result.chart.file}) |`,
      );
  lines.push('', ...results.map((r) => `![${r.chart.title}](test/bench/results/${r.chart.file})`));
  return lines.join('\n');
}

function writeReadmeSection(markdown: string): void {
  const text = readFileSync(README, 'utf8');
  const markers = /<!-- scaling:start -->[\s\S]*<!-- scaling:end -->/;
  if (!markers.test(text)) {
    process.stdout.write(
      '  the README has no <!-- scaling:start --> … <!-- scaling:end --> markers: section not written\n',
    );
    return;
  }
  writeFileSync(README, text.replace(markers, `<!-- scaling:start -->\n${markdown}\n<!-- scaling:end -->`));
}

export const scalingSuite: BenchSuite = {
  name: 'scaling',
  async run(): Promise<BenchRow[]> {
    const load = loadavg()[0];
    const results: SeriesResult[] = [];
    for (const name of SERIES.filter((s) => WANTED.includes(s))) {
      const started = Date.now();
      results.push(await RUNNERS[name]());
      process.stdout.write(`  scaling ${name}: ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
    }
    for (const { chart } of results) await writeChart(join(RESULTS, chart.file), chart.title, chart.panels, SUBTITLE);
    writeReadmeSection(readmeSection(results, load));
    return results.flatMap((r) => r.rows);
  },
};
