import { cpus } from 'node:os';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchRow, table } from './harness';
import { SUITES } from './suites';

interface SuiteResult {
  measured: string;
  rows: BenchRow[];
}

/**
 * `npm run bench [-- suite ...]`: runs the suites (all by default), prints their tables, and keeps the
 * latest result of every suite in test/bench/results/latest.json — so running one suite refreshes its
 * rows without losing the others' — then writes the combined table to latest.md and into the README
 * between the bench markers. Each suite's rows say when and where they were measured.
 */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
  if (unknown.length) {
    process.stderr.write(`unknown suite ${unknown.join(', ')}; suites: ${SUITES.map((s) => s.name).join(', ')}\n`);
    process.exit(2);
  }
  const suites = wanted.length ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;
  const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}`;
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  const stored = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as {
    suites?: Record<string, SuiteResult>;
  };
  const results: Record<string, SuiteResult> = stored.suites ?? {};
  for (const suite of suites) {
    process.stdout.write(`running ${suite.name} …\n`);
    const started = Date.now();
    const rows = await suite.run();
    results[suite.name] = { measured: `${new Date().toISOString().slice(0, 10)} on ${machine}`, rows };
    process.stdout.write(`${table(rows)}\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n\n`);
    // saved after each suite, so a long run that fails later keeps what it measured
    writeFileSync(file, JSON.stringify({ suites: results }, null, 2));
  }
  const sections = SUITES.filter((s) => results[s.name]).map(
    (s) => `**${s.name}** (measured ${results[s.name].measured})\n\n${table(results[s.name].rows)}\n`,
  );
  const markdown = sections.join('\n');
  writeFileSync(join(dir, 'latest.md'), markdown);
  const readme = join(__dirname, '../../README.md');
  const text = readFileSync(readme, 'utf8');
  writeFileSync(
    readme,
    text.replace(
      /<!-- bench:start -->[\s\S]*<!-- bench:end -->/,
      `<!-- bench:start -->\n${markdown}<!-- bench:end -->`,
    ),
  );
  process.stdout.write(`wrote test/bench/results/latest.{json,md} and the README table\n\n${markdown}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
