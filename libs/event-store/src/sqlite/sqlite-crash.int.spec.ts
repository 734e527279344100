import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../../../../test/support/temp-dir';
import { SqliteEventStore } from './sqlite-event-store';
import { verifyChains } from '../verify';

const ROOT = join(__dirname, '../../../..');

/** Runs the appender child until it has acknowledged `minAcks` appends, then SIGKILLs it. */
function runAndKill(file: string, minAcks: number): Promise<{ stream: string; revision: number; position: number }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'test/support/append-forever.ts'), file, '32'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acks: { stream: string; revision: number; position: number }[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [, stream, revision, position] = line.split(' ');
        acks.push({ stream, revision: Number(revision), position: Number(position) });
      }
      if (acks.length >= minAcks && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`the appender exited on its own: ${stderr}`));
      resolve(acks);
    });
  });
}

describe('crash safety of the embedded store', () => {
  it('keeps every acknowledged append after SIGKILL mid-load, and every hash chain verifies', async () => {
    const dir = tempDir('duban-crash-');
    try {
      const file = join(dir.path, 'events.sqlite');
      const acks = await runAndKill(file, 3000);
      expect(acks.length).toBeGreaterThanOrEqual(3000);

      const store = new SqliteEventStore({ file });
      for (const ack of acks) {
        const [event] = await store.readStream(ack.stream, { fromRevision: ack.revision, maxCount: 1 });
        expect(event).toBeDefined();
        expect(event.position).toBe(ack.position);
      }
      const report = verifyChains(store.iterateAll({ raw: true }));
      expect(report.breaks).toEqual([]);
      expect(report.events).toBeGreaterThanOrEqual(acks.length);
      // the store is usable after the crash: the next append of a stream continues its chain
      const last = acks[acks.length - 1];
      const info = await store.streamInfo(last.stream);
      await store.append(
        last.stream,
        [{ type: 'AfterCrash', data: {}, metadata: { actor: { id: 't', role: 'system' }, correlationId: 'c' } }],
        { expectedRevision: info.revision },
      );
      expect(verifyChains(store.iterateAll({ raw: true })).ok).toBe(true);
      await store.close();
    } finally {
      dir.remove();
    }
  });
});
