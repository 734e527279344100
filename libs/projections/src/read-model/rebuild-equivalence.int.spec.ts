import Database from 'better-sqlite3';
import { join } from 'node:path';
import { DEFAULT_NOTIFICATION_POLICY } from '@duban/domain';
import { SqliteEventStore } from '@duban/event-store';
import { generateLifecycleLog } from '../../../../test/bench/lifecycle-log-generator';
import { tempDir } from '../../../../test/support/temp-dir';
import { ProjectionRunner } from '../projection-runner';
import { readModelProjections } from './index';
import { IssueCountsDelta } from './issue-counts';
import { issuesProjection } from './issues.projection';

/** about 1,100 issues: with 100 folded states cached, both ways evict states (and read them back) all along */
const EVENTS = 10_000;
const CACHED_STATES = 100;
/** the rebuild's batches, and the counter cells it holds back: some batches keep their sums, others write them out early */
const REBUILD_BATCH = 1_000;
const HELD_CELLS = 5_000;

/** Every table's rows in a stable order (FTS5's shadow tables and the planner's statistics are storage, not content). */
function contents(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'issues_fts_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((table) => {
        const columns = table === 'issues_fts' ? 'rowid, *' : '*';
        const rows = db.prepare(`SELECT ${columns} FROM "${table}"`).all();
        // sorted in JS: a table without a rowid has no order of its own that both files must share
        return [table, rows.map((r) => JSON.stringify(r)).sort()];
      }),
    );
  } finally {
    db.close();
  }
}

describe('a scratch rebuild of the read model', () => {
  const dir = tempDir('duban-rebuild-equivalence-');
  afterAll(() => dir.remove());

  it('writes exactly the tables a live projection wrote, batch by batch, from the same generated log', async () => {
    const store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite') });
    generateLifecycleLog(store, EVENTS);
    const tzAgency = 'Asia/Shanghai';
    const projections = readModelProjections({ notificationPolicy: DEFAULT_NOTIFICATION_POLICY, tzAgency }).map((p) =>
      p.name === 'issues' ? issuesProjection(tzAgency, { cachedStates: CACHED_STATES, heldCells: HELD_CELLS }) : p,
    );
    try {
      // live: batches of 100, every row and state written as it changes, indexes maintained row by row
      const liveFile = join(dir.path, 'live.sqlite');
      const live = new ProjectionRunner({ store, file: liveFile, projections, batchSize: 100 });
      await live.start();
      expect(live.checkpoint).toBe(await store.headPosition());
      await live.stop();

      const rebuiltFile = join(dir.path, 'rebuilt.sqlite');
      const writeOuts = jest.spyOn(IssueCountsDelta.prototype, 'write');
      const { position } = await ProjectionRunner.rebuildFile({
        store,
        file: rebuiltFile,
        projections,
        batchSize: REBUILD_BATCH,
      });
      expect(position).toBe(await store.headPosition());
      // written early more than once (besides settling), yet not after every batch
      expect(writeOuts.mock.calls.length).toBeGreaterThan(2);
      expect(writeOuts.mock.calls.length).toBeLessThan(EVENTS / REBUILD_BATCH);
      writeOuts.mockRestore();

      const expected = contents(liveFile);
      const actual = contents(rebuiltFile);
      expect(Object.keys(actual)).toEqual(Object.keys(expected));
      expect(expected.issue_rows.length).toBeGreaterThan(10 * CACHED_STATES);
      for (const table of Object.keys(expected))
        expect({ table, rows: actual[table] }).toEqual({ table, rows: expected[table] });
    } finally {
      await store.close();
    }
  }, 300_000);
});
