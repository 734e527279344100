/**
 * Child process for the crash test: appends from many concurrent writers as fast as it can and
 * prints one line per acknowledged append ("ack <stream> <revision> <position>") — only after
 * the promise resolved, i.e. after the store said the events are durable.
 */
import { SqliteEventStore } from '@duban/event-store';

const [file, writersArg] = process.argv.slice(2);
const store = new SqliteEventStore({ file });
const writers = Number(writersArg ?? 32);

async function writer(index: number): Promise<never> {
  const stream = `crash-${process.pid}-${index}`;
  for (let revision = 0; ; revision++) {
    const result = await store.append(
      stream,
      [
        {
          type: 'Tick',
          data: { index, revision, text: '整改进度报告 — progress' },
          metadata: { actor: { id: 'crash-test', role: 'system' }, correlationId: `c-${index}-${revision}` },
        },
      ],
      { expectedRevision: revision === 0 ? 'no_stream' : revision - 1 },
    );
    process.stdout.write(`ack ${stream} ${result.revision} ${result.position}\n`);
  }
}

for (let i = 0; i < writers; i++) void writer(i);
