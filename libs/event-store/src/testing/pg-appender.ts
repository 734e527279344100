/**
 * Child process for the PostgreSQL hammer and crash tests: `writers` concurrent writers each append
 * to a stream of their own and print one line per acknowledged append, "ack <stream> <revision>
 * <position>", only after the store resolved it. count 0: forever; else a burst of `count` appends per
 * writer for each line read on stdin (then "done"), until stdin closes.
 */
import { createInterface } from 'node:readline';
import { PostgresEventStore } from '../postgres/postgres-event-store';

const [url, writersArg, countArg] = process.argv.slice(2);
const store = new PostgresEventStore({ connectionString: url, poolSize: 4 });
const writers = Number(writersArg ?? 8);
const count = Number(countArg ?? 0);

const next = new Array<number>(writers).fill(0);

async function writer(index: number): Promise<void> {
  const stream = `hammer-${process.pid}-${index}`;
  for (let n = 0; count === 0 || n < count; n++) {
    const revision = next[index]++;
    const result = await store.append(
      stream,
      [
        {
          type: 'Tick',
          data: { index, revision, text: '整改进度报告 — progress' },
          metadata: { actor: { id: 'hammer', role: 'system' }, correlationId: `c-${index}-${revision}` },
        },
      ],
      { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 },
    );
    process.stdout.write(`ack ${stream} ${result.revision} ${result.position}\n`);
  }
}

const burst = () => Promise.all(Array.from({ length: writers }, (_, i) => writer(i)));
const fail = (error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
};

if (count === 0) burst().catch(fail);
else {
  let running = Promise.resolve();
  createInterface({ input: process.stdin })
    .on('line', () => {
      running = running.then(() => burst().then(() => void process.stdout.write('done\n'))).catch(fail);
    })
    .on('close', () => void running.then(() => store.close()).catch(fail));
}
