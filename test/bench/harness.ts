import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One line of the benchmark table: this project's figure beside its baseline, measured in the same run. */
export interface BenchRow {
  benchmark: string;
  /** e.g. "events/s", "ms", "req/s" */
  unit: string;
  duban: number;
  baseline: number | null;
  baselineName: string;
  /** higher is better (throughput) or lower is better (latency, time) */
  better: 'higher' | 'lower';
  goal?: string;
  met?: boolean;
  notes?: string;
}

export interface BenchSuite {
  name: string;
  run(): Promise<BenchRow[]>;
}

export function scratchDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `duban-bench-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Ratio oriented so that > 1 means Duban is better than the baseline. */
export function ratio(row: BenchRow): number | null {
  if (row.baseline === null || row.baseline === 0 || row.duban === 0) return null;
  return row.better === 'higher' ? row.duban / row.baseline : row.baseline / row.duban;
}

export async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `fn` `times` times and answers the median of its results (tames a noisy 2-core machine). */
export async function median(times: number, fn: () => Promise<number>): Promise<number> {
  const results: number[] = [];
  for (let i = 0; i < times; i++) results.push(await fn());
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)];
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const fmt = (n: number | null) =>
  n === null ? '—' : n >= 100 ? Math.round(n).toLocaleString('en-US') : n >= 10 ? n.toFixed(1) : n.toFixed(2);

export function table(rows: BenchRow[]): string {
  const lines = [
    '| benchmark | Duban | baseline | baseline is | Duban vs baseline | goal | met |',
    '| --- | ---: | ---: | --- | ---: | --- | :-: |',
  ];
  for (const r of rows) {
    const x = ratio(r);
    lines.push(
      `| ${r.benchmark} | ${fmt(r.duban)} ${r.unit} | ${r.baseline === null ? '—' : `${fmt(r.baseline)} ${r.unit}`} | ${r.baselineName} | ${x === null ? '—' : `${x.toFixed(2)}×`} | ${r.goal ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`,
    );
  }
  const notes = rows.filter((r) => r.notes).map((r) => `- ${r.benchmark}: ${r.notes}`);
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}
