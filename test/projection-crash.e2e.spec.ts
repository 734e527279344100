import { DEFAULT_NOTIFICATION_POLICY } from '@duban/domain';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SqliteEventStore } from '@duban/event-store';
import { ProjectionRunner, readModelProjections } from '@duban/projections';
import { startTestApi } from './support/api';
import { assignedIssue, createUnit } from './support/fixtures';
import { tempDir } from './support/temp-dir';

const ROOT = join(__dirname, '..');
const PROJECTIONS = readModelProjections({
  notificationPolicy: DEFAULT_NOTIFICATION_POLICY,
  tzAgency: 'Asia/Shanghai',
});

function dump(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      ['units', 'issues', 'issue_units', 'issue_counts', 'issue_breakdowns', 'inbox'].map((t) => [
        t,
        db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all(),
      ]),
    );
  } finally {
    db.close();
  }
}

/** runs the projector child until it has committed `minCheckpoints` batches, then SIGKILLs it */
function projectAndKill(eventsFile: string, readModelFile: string, minCheckpoints: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'test/support/project-forever.ts'), eventsFile, readModelFile],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let seen = 0;
    let last = 0;
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      for (const m of d.toString().matchAll(/checkpoint (\d+)/g)) {
        seen++;
        last = Number(m[1]);
      }
      if (seen >= minCheckpoints && !child.killed) child.kill('SIGKILL');
    });
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(last) : reject(new Error(`projector ended on its own: ${err}`)),
    );
  });
}

describe('projection crash safety', () => {
  it('a read model killed mid-catch-up resumes to exactly what a clean rebuild produces', async () => {
    const api = await startTestApi();
    const unit = await createUnit(api, 'CR');
    for (let i = 0; i < 40; i++) await assignedIssue(api, unit);
    const eventsFile = join(api.config.dataDir, 'events.sqlite');
    const dir = tempDir('duban-projcrash-');
    try {
      const crashed = join(dir.path, 'crashed.sqlite');
      const killedAt = await projectAndKill(eventsFile, crashed, 2);
      const store = new SqliteEventStore({ file: eventsFile });
      const head = await store.headPosition();
      expect(killedAt).toBeLessThan(head);
      // restart from the stored checkpoint, catch up, stop
      const resumed = new ProjectionRunner({ store, file: crashed, projections: PROJECTIONS, batchSize: 20 });
      await resumed.start();
      await resumed.stop();
      const clean = new ProjectionRunner({ store, file: join(dir.path, 'clean.sqlite'), projections: PROJECTIONS });
      await clean.start();
      await clean.stop();
      await store.close();
      expect(dump(crashed)).toEqual(dump(join(dir.path, 'clean.sqlite')));
      expect(dump(crashed).issues).toHaveLength(40);
    } finally {
      dir.remove();
      await api.close();
    }
  });
});
