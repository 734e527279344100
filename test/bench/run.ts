import { cpus } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BenchRow, table } from './harness';
import { SUITES } from './suites';

/**
 * `npm run bench [-- suite ...]`: runs the suites, prints one markdown table, writes it to
 * test/bench/results/latest.md (+ .json) and into the README between the bench markers.
 */
async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !SUITES.some((s) => s.name === w));
  if (unknown.length) {
    process.stderr.write(`unknown suite ${unknown.join(', ')}; suites: ${SUITES.map((s) => s.name).join(', ')}\n`);
    process.exit(2);
  }
  const suites = wanted.length ? SUITES.filter((s) => wanted.includes(s.name)) : SUITES;
  const header = `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, Node ${process.version}.`;
  process.stdout.write(`${header}\n\n`);
  const rows: BenchRow[] = [];
  for (const suite of suites) {
    process.stdout.write(`running ${suite.name} …\n`);
    const started = Date.now();
    const suiteRows = await suite.run();
    rows.push(...suiteRows);
    process.stdout.write(`${table(suiteRows)}\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n\n`);
  }
  const markdown = `${header}\n\n${table(rows)}\n`;
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  if (!wanted.length) {
    writeFileSync(join(dir, 'latest.md'), markdown);
    writeFileSync(join(dir, 'latest.json'), JSON.stringify({ header, rows }, null, 2));
    const readme = join(__dirname, '../../README.md');
    const text = readFileSync(readme, 'utf8');
    const updated = text.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${markdown}<!-- bench:end -->`);
    writeFileSync(readme, updated);
    process.stdout.write('wrote test/bench/results/latest.md and the README table\n');
  }
  process.stdout.write(`\n${table(rows)}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
