import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SqliteEventStore, RecordedEvent } from '@duban/event-store';
import { tempDir } from '../../../test/support/temp-dir';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { waitUntil } from '../../../test/support/wait';

const counter: Projection = {
  name: 'counter',
  version: 1,
  schema: [
    'CREATE TABLE IF NOT EXISTS counts (stream_id TEXT PRIMARY KEY, n INTEGER NOT NULL, last_position INTEGER NOT NULL)',
  ],
  handles: new Set(['Counted']),
  apply(db: Database.Database, event: RecordedEvent) {
    db.prepare(
      'INSERT INTO counts (stream_id, n, last_position) VALUES (?, 1, ?) ON CONFLICT (stream_id) DO UPDATE SET n = n + 1, last_position = excluded.last_position',
    ).run(event.streamId, event.position);
  },
};

const meta = { actor: { id: 't', role: 'system' }, correlationId: 'c' };
const dump = (db: Database.Database) => db.prepare('SELECT * FROM counts ORDER BY stream_id').all();

describe('ProjectionRunner', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = tempDir('duban-proj-');
    store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite'), pollIntervalMs: 5 });
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  async function write(streams: number, perStream: number) {
    for (let s = 0; s < streams; s++) {
      await store.append(
        `c-${s}`,
        Array.from({ length: perStream }, () => ({ type: 'Counted', data: {}, metadata: meta })),
        { expectedRevision: 'any' },
      );
      await store.append(`other-${s}`, [{ type: 'Ignored', data: {}, metadata: meta }], { expectedRevision: 'any' });
    }
  }

  it('catches up, goes live, and resumes from its checkpoint after a restart without double-applying', async () => {
    await write(5, 3);
    const file = join(dir.path, 'read.sqlite');
    let runner = new ProjectionRunner({ store, file, projections: [counter] });
    await runner.start();
    expect(dump(runner.database)).toHaveLength(5);
    await write(2, 1);
    expect(await runner.waitFor(await store.headPosition(), 2000)).toBe(true);
    await runner.stop();
    runner = new ProjectionRunner({ store, file, projections: [counter] });
    expect(runner.checkpoint).toBe(await store.headPosition());
    await runner.start();
    expect((dump(runner.database) as { n: number }[]).map((r) => r.n)).toEqual([4, 4, 3, 3, 3]);
    await runner.stop();
  });

  it('waitFor answers false after its timeout when the position never comes', async () => {
    const runner = new ProjectionRunner({ store, file: join(dir.path, 'read.sqlite'), projections: [counter] });
    await runner.start();
    expect(await runner.waitFor(10_000, 50)).toBe(false);
    await runner.stop();
  });

  it('holds live batches back while a hold runs, and applies each of them once it ends', async () => {
    await write(2, 1);
    const runner = new ProjectionRunner({ store, file: join(dir.path, 'read.sqlite'), projections: [counter] });
    await runner.start();
    const before = runner.checkpoint;
    let heldAt = -1;
    const result = await runner.holdingBack(async () => {
      await write(3, 2);
      // time enough for the subscription (polling every 5 ms) to have applied them, were it not held
      await new Promise((resolve) => setTimeout(resolve, 200));
      heldAt = runner.checkpoint;
      return 'done';
    });
    expect(result).toBe('done');
    expect(heldAt).toBe(before);
    expect(await runner.waitFor(await store.headPosition(), 2000)).toBe(true);
    expect((dump(runner.database) as { n: number }[]).map((r) => r.n)).toEqual([3, 3, 2]);
    await runner.stop();
  });

  it('rebuilds blue-green into identical tables while queries keep being served', async () => {
    await write(50, 4);
    const runner = new ProjectionRunner({ store, file: join(dir.path, 'read.sqlite'), projections: [counter] });
    await runner.start();
    const before = dump(runner.database);
    let queries = 0;
    let failures = 0;
    const querying = (async () => {
      while (queries < 10_000) {
        try {
          dump(runner.database);
        } catch {
          failures++;
        }
        queries++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await runner.rebuild();
    await querying;
    expect(failures).toBe(0);
    expect(dump(runner.database)).toEqual(before);
    await write(1, 1);
    expect(await runner.waitFor(await store.headPosition(), 2000)).toBe(true);
    await runner.stop();
  });

  it('a rebuild applies the events appended while it replays, each exactly once', async () => {
    await write(50, 4);
    const runner = new ProjectionRunner({ store, file: join(dir.path, 'read.sqlite'), projections: [counter] });
    await runner.start();
    const appending = (async () => {
      for (let i = 0; i < 20; i++) await write(3, 1);
    })();
    await runner.rebuild();
    await appending;
    expect(await runner.waitFor(await store.headPosition(), 2000)).toBe(true);
    const counts = dump(runner.database) as { stream_id: string; n: number }[];
    expect(counts.filter((r) => ['c-0', 'c-1', 'c-2'].includes(r.stream_id)).map((r) => r.n)).toEqual([24, 24, 24]);
    expect(counts.filter((r) => !['c-0', 'c-1', 'c-2'].includes(r.stream_id)).every((r) => r.n === 4)).toBe(true);
    await runner.stop();
  });

  it('a projection that throws is retried from its checkpoint with backoff, reported down, and recovers when the cause goes away', async () => {
    await write(2, 1);
    let poisoned = true;
    const failures: { attempt: number; retryInMs: number }[] = [];
    let recovered = 0;
    const picky: Projection = {
      ...counter,
      apply(db, event) {
        if (poisoned && event.streamId === 'c-poison') throw new Error('poison event');
        counter.apply(db, event);
      },
    };
    const runner = new ProjectionRunner({
      store,
      file: join(dir.path, 'read.sqlite'),
      projections: [picky],
      retry: { firstMs: 20, maxMs: 80 },
      onFailure: (_error, info) => failures.push(info),
      onRecovered: () => recovered++,
    });
    await runner.start();
    expect(runner.health.up).toBe(true);
    const before = runner.checkpoint;
    await store.append('c-poison', [{ type: 'Counted', data: {}, metadata: meta }], { expectedRevision: 'any' });
    await waitUntil(() => failures.length >= 4, 'four failed attempts');
    expect(runner.health).toMatchObject({ up: false, lastError: 'poison event' });
    expect(runner.health.restarts).toBeGreaterThanOrEqual(3);
    // the failed batch was rolled back: nothing of it applied, the checkpoint did not move
    expect(runner.checkpoint).toBe(before);
    expect(failures.slice(0, 4).map((f) => f.retryInMs)).toEqual([20, 40, 80, 80]);
    await write(1, 1); // events behind the poison one wait for it
    poisoned = false;
    expect(await runner.waitFor(await store.headPosition(), 5000)).toBe(true);
    expect(runner.health).toMatchObject({ up: true, failures: 0, downSince: null });
    expect(recovered).toBe(1);
    expect((dump(runner.database) as { stream_id: string; n: number }[]).map((r) => [r.stream_id, r.n])).toEqual([
      ['c-0', 2],
      ['c-1', 1],
      ['c-poison', 1],
    ]);
    await runner.stop();
  });

  it('a failing read-model write (a trigger refusing inserts) recovers once the trigger is dropped; a stop during the backoff ends the retries', async () => {
    const file = join(dir.path, 'read.sqlite');
    let failures = 0;
    const runner = new ProjectionRunner({
      store,
      file,
      projections: [counter],
      retry: { firstMs: 20, maxMs: 40 },
      onFailure: () => failures++,
    });
    await runner.start();
    const saboteur = new Database(file);
    saboteur.exec("CREATE TRIGGER refuse BEFORE INSERT ON counts BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    await write(1, 1);
    await waitUntil(() => failures >= 2, 'the failing write to be retried');
    expect(runner.health).toMatchObject({ up: false, lastError: 'disk says no' });
    saboteur.exec('DROP TRIGGER refuse');
    expect(await runner.waitFor(await store.headPosition(), 5000)).toBe(true);
    expect(runner.health.up).toBe(true);
    saboteur.exec("CREATE TRIGGER refuse BEFORE INSERT ON counts BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    await write(1, 1);
    await waitUntil(() => !runner.health.up, 'the runner down again');
    await runner.stop();
    const after = failures;
    await new Promise((r) => setTimeout(r, 150));
    expect(failures).toBe(after);
    saboteur.close();
  });

  const appendOne = (stream: string) =>
    store.append(stream, [{ type: 'Counted', data: {}, metadata: meta }], { expectedRevision: 'any' });

  it('gatherMs: under a steady stream of appends, live batches gather what was committed meanwhile; nothing is lost', async () => {
    const batches: number[] = [];
    const runner = new ProjectionRunner({
      store,
      file: join(dir.path, 'read.sqlite'),
      projections: [counter],
      gatherMs: 100,
      onBatch: ({ events }) => batches.push(events),
    });
    await runner.start();
    for (let i = 0; i < 30; i++) await appendOne(`c-${i % 3}`);
    await waitUntil(() => runner.checkpoint === 30, 'all 30 appends applied', 5000);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(30);
    expect(batches.length).toBeLessThan(15);
    expect((dump(runner.database) as { n: number }[]).map((r) => r.n)).toEqual([10, 10, 10]);
    await runner.stop();
  });

  it('gatherMs: a reader waiting for a position (minPosition) or catching up ends the gathering at once', async () => {
    const runner = new ProjectionRunner({
      store,
      file: join(dir.path, 'read.sqlite'),
      projections: [counter],
      gatherMs: 60_000,
    });
    await runner.start();
    // two batches in a row make a steady stream: the runner then gathers (for up to a minute)
    await appendOne('c-0');
    expect(await runner.waitFor(1, 2000)).toBe(true);
    await appendOne('c-0');
    await waitUntil(() => runner.gathering, 'the runner gathering', 2000);
    expect(runner.checkpoint).toBe(2);
    const { position } = await appendOne('c-0');
    await new Promise((r) => setTimeout(r, 50));
    expect(runner.checkpoint).toBe(2);
    const started = Date.now();
    expect(await runner.waitFor(position, 2000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    await waitUntil(() => runner.gathering, 'the runner gathering', 2000);
    await appendOne('c-1');
    expect(await runner.catchUp(2000)).toBe(true);
    expect(runner.checkpoint).toBe(4);
    const stopping = Date.now();
    await runner.stop();
    expect(Date.now() - stopping).toBeLessThan(1000);
  });
});
