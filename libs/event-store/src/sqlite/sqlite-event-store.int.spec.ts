import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempDir } from '../../../../test/support/temp-dir';
import { describeEventStoreContract, anEvent } from '../testing/event-store.contract';
import { SqliteEventStore } from './sqlite-event-store';
import { storedForm, verifyChains } from '../verify';
import { WrongExpectedVersion } from '../errors';

describeEventStoreContract('embedded SQLite', async () => {
  const dir = tempDir();
  const store = new SqliteEventStore({ file: join(dir.path, 'events.sqlite'), pollIntervalMs: 10 });
  return {
    store,
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
});

describe('SqliteEventStore specifics', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir.path, 'events.sqlite');
  });
  afterEach(() => dir.remove());

  it('refuses UPDATE and DELETE on the events table', async () => {
    const store = new SqliteEventStore({ file });
    await store.append('s-1', [anEvent()], { expectedRevision: 'no_stream' });
    expect(() => store.database.prepare("UPDATE events SET data = '{}'").run()).toThrow(/append-only: UPDATE refused/);
    expect(() => store.database.prepare('DELETE FROM events').run()).toThrow(/append-only: DELETE refused/);
    await store.close();
  });

  it('imports stored events into an empty store only, keeping positions, all or nothing, refusing appends meanwhile', async () => {
    const source = new SqliteEventStore({ file });
    await source.append('s-1', [anEvent(), anEvent()], { expectedRevision: 'no_stream' });
    await source.append('s-2', [anEvent()], { expectedRevision: 'no_stream' });
    const stored = source.readAllSync({ raw: true }).map(storedForm);
    const target = new SqliteEventStore({ file: join(dir.path, 'copy.sqlite') });
    const failed = target.beginImport();
    failed.write(stored.slice(0, 2));
    await expect(target.append('x', [anEvent()], { expectedRevision: 'any' })).rejects.toThrow(/import .* in progress/);
    failed.abort();
    expect(target.headPositionSync()).toBe(0);
    const sink = target.beginImport();
    sink.write(stored);
    expect(() => sink.write(stored.slice(0, 1))).toThrow(/positions must increase/);
    sink.commit();
    expect(target.database.prepare('SELECT * FROM events ORDER BY position').all()).toEqual(
      source.database.prepare('SELECT * FROM events ORDER BY position').all(),
    );
    expect(() => target.beginImport()).toThrow(/only into an empty event store/);
    expect((await target.append('s-2', [anEvent()], { expectedRevision: 0 })).position).toBe(4);
    await Promise.all([source.close(), target.close()]);
  });

  it('runs in WAL mode with synchronous=FULL', async () => {
    const store = new SqliteEventStore({ file });
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.database.pragma('synchronous', { simple: true })).toBe(2);
    await store.close();
  });

  it('group-commits concurrent appends into few transactions', async () => {
    const store = new SqliteEventStore({ file });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => store.append(`s-${i}`, [anEvent()], { expectedRevision: 'no_stream' })),
    );
    expect(new Set(results.map((r) => r.position)).size).toBe(200);
    expect(store.stats.appends).toBe(200);
    expect(store.stats.transactions).toBeLessThanOrEqual(2);
    await store.close();
  });

  it('is shared by several processes: a second connection sees appends and can append', async () => {
    const a = new SqliteEventStore({ file, pollIntervalMs: 10 });
    const b = new SqliteEventStore({ file, pollIntervalMs: 10 });
    const seen: string[] = [];
    const sub = b.subscribeToAll({}, (events) => {
      for (const e of events) seen.push(e.streamId);
    });
    await a.append('from-a', [anEvent()], { expectedRevision: 'no_stream' });
    await b.append('from-b', [anEvent()], { expectedRevision: 'no_stream' });
    const deadline = Date.now() + 5000;
    while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['from-a', 'from-b']);
    await sub.stop();
    await a.close();
    await b.close();
  });

  it('decides on the real head when another connection appended to a stream it remembers', async () => {
    const a = new SqliteEventStore({ file });
    const b = new SqliteEventStore({ file });
    await a.append('shared', [anEvent()], { expectedRevision: 'no_stream' });
    await b.append('shared', [anEvent()], { expectedRevision: 0 });
    await b.append('made-by-b', [anEvent()], { expectedRevision: 'no_stream' });
    // a remembers revision 0 of "shared" and has never seen "made-by-b"
    await expect(a.append('shared', [anEvent()], { expectedRevision: 0 })).rejects.toThrow(WrongExpectedVersion);
    await expect(a.append('made-by-b', [anEvent()], { expectedRevision: 'no_stream' })).rejects.toThrow(
      WrongExpectedVersion,
    );
    const retried = anEvent('TestEvent', { n: 1 }, { id: (await b.readStream('made-by-b'))[0].id });
    expect(await a.append('made-by-b', [retried], { expectedRevision: 'no_stream' })).toEqual({
      revision: 0,
      position: 3,
    });
    expect(await a.append('shared', [anEvent(), anEvent()], { expectedRevision: 'any' })).toEqual({
      revision: 3,
      position: 5,
    });
    expect(await a.append('shared', [anEvent()], { expectedRevision: 3 })).toEqual({ revision: 4, position: 6 });
    expect(verifyChains(a.readAllSync({ raw: true })).ok).toBe(true);
    expect((await a.readStream('shared')).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
    await Promise.all([a.close(), b.close()]);
  });

  it('remembers nothing of a group commit that failed', async () => {
    const store = new SqliteEventStore({ file });
    store.database.exec(
      "CREATE TRIGGER refuse_boom BEFORE INSERT ON events WHEN NEW.stream_id = 'boom' BEGIN SELECT RAISE(ABORT, 'boom'); END",
    );
    const batch = [
      store.append('fine', [anEvent()], { expectedRevision: 'no_stream' }),
      store.append('boom', [anEvent()], { expectedRevision: 'no_stream' }),
    ];
    // (matched by message: better-sqlite3's error class may come from another test file's realm)
    await expect(Promise.all(batch)).rejects.toMatchObject({ message: 'boom' });
    await expect(batch[0]).rejects.toMatchObject({ message: 'boom' });
    await expect(store.append('fine', [anEvent()], { expectedRevision: 0 })).rejects.toThrow(WrongExpectedVersion);
    expect(await store.append('fine', [anEvent()], { expectedRevision: 'no_stream' })).toEqual({
      revision: 0,
      position: 1,
    });
    await store.close();
  });

  it('opens read-only for auditors and refuses nothing it reads', async () => {
    const store = new SqliteEventStore({ file });
    await store.append('s', [anEvent()], { expectedRevision: 'no_stream' });
    await store.close();
    const ro = new SqliteEventStore({ file, readonly: true });
    expect(await ro.readStream('s')).toHaveLength(1);
    await ro.close();
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 1 });
    raw.close();
  });
});
