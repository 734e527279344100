import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '../../../../test/support/postgres';
import { anEvent, describeEventStoreContract } from '../testing/event-store.contract';
import { bulkImportOf, rawEventLog } from '../capabilities.port';
import { EventStoreError } from '../errors';
import { openEventStore, openEventStoreReady } from '../open-event-store';
import { PostgresEventStore } from './postgres-event-store';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => db?.drop());

describeEventStoreContract('PostgreSQL', async () => {
  const store = new PostgresEventStore({ connectionString: db.url, pollIntervalMs: 20 });
  return { store, dispose: () => store.close() };
});

describe('PostgresEventStore specifics', () => {
  const sql = async <T>(run: (c: Client) => Promise<T>, url = db.url): Promise<T> => {
    const c = new Client({ connectionString: url });
    await c.connect();
    try {
      return await run(c);
    } finally {
      await c.end();
    }
  };

  it('refuses UPDATE, DELETE and TRUNCATE on the events table', async () => {
    const store = new PostgresEventStore({ connectionString: db.url });
    await store.append(`s-${Date.now()}`, [anEvent()], { expectedRevision: 'no_stream' });
    await store.close();
    await sql(async (c) => {
      await expect(c.query("UPDATE events SET data = '{}'")).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(c.query('DELETE FROM events')).rejects.toThrow(/append-only: DELETE refused/);
      await expect(c.query('TRUNCATE events')).rejects.toThrow(/append-only: TRUNCATE refused/);
    });
  });

  it('enforces one event per (stream, revision) in the database itself', async () => {
    const store = new PostgresEventStore({ connectionString: db.url });
    const s = `dup-${Date.now()}`;
    await store.append(s, [anEvent()], { expectedRevision: 'no_stream' });
    await store.close();
    await sql(async (c) => {
      const error = await c
        .query(
          'INSERT INTO events SELECT position + 1000000, gen_random_uuid(), stream_id, revision, type, data, metadata, prev_hash, hash FROM events WHERE stream_id = $1',
          [s],
        )
        .catch((e: unknown) => e);
      expect((error as { constraint?: string }).constraint).toBe('events_stream_revision');
    });
  });

  it('group-commits concurrent appends into few transactions', async () => {
    const store = new PostgresEventStore({ connectionString: db.url });
    const tag = Date.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.append(`g-${tag}-${i}`, [anEvent()], { expectedRevision: 'no_stream' }),
      ),
    );
    expect(new Set(results.map((r) => r.position)).size).toBe(200);
    expect(store.stats.appends).toBe(200);
    expect(store.stats.transactions).toBeLessThanOrEqual(3);
    await store.close();
  });

  it('wakes a subscription in another process by NOTIFY, long before its polling fallback', async () => {
    const writer = new PostgresEventStore({ connectionString: db.url });
    const reader = new PostgresEventStore({ connectionString: db.url, pollIntervalMs: 60_000 });
    const s = `notify-${Date.now()}`;
    const seen: string[] = [];
    const sub = reader.subscribeToAll({ fromPosition: await reader.headPosition() }, (events) => {
      for (const e of events) if (e.streamId === s) seen.push(e.type);
    });
    await sub.caughtUp;
    // the LISTEN connection is opened with the first subscription: give it a moment to be listening
    const deadline0 = Date.now() + 5000;
    while (Date.now() < deadline0) {
      const n = await reader.pool.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN%'");
      if (n.rows[0].n > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const started = Date.now();
    await writer.append(s, [anEvent('Woken')], { expectedRevision: 'no_stream' });
    while (seen.length === 0 && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 10));
    expect(seen).toEqual(['Woken']);
    expect(Date.now() - started).toBeLessThan(5_000);
    await sub.stop();
    await Promise.all([writer.close(), reader.close()]);
  });

  it('refuses to start when the server runs with synchronous_commit=off', async () => {
    const role = `duban_async_${Date.now()}`;
    await sql((c) => c.query(`CREATE ROLE ${role} LOGIN SUPERUSER; ALTER ROLE ${role} SET synchronous_commit = off`));
    try {
      const url = new URL(db.url);
      url.username = role;
      await expect(openEventStoreReady({ databaseUrl: url.toString() })).rejects.toThrow(/synchronous_commit=off/);
    } finally {
      await sql((c) => c.query(`DROP ROLE ${role}`));
    }
  });

  it('works for a role with only SELECT and INSERT on events (the least-privilege role of the README)', async () => {
    const role = `duban_app_${Date.now()}`;
    await sql((c) =>
      c.query(
        `CREATE ROLE ${role} LOGIN; GRANT SELECT, INSERT ON events TO ${role}; GRANT SELECT, INSERT, UPDATE ON health_probe TO ${role}`,
      ),
    );
    const url = new URL(db.url);
    url.username = role;
    const store = await openEventStoreReady({ databaseUrl: url.toString() });
    try {
      const s = `lp-${Date.now()}`;
      await store.append(s, [anEvent()], { expectedRevision: 'no_stream' });
      await expect(store.ping()).resolves.toBeUndefined();
      await sql(
        (c) => expect(c.query('DELETE FROM events')).rejects.toThrow(/permission denied|append-only/),
        url.toString(),
      );
    } finally {
      await store.close();
      await sql((c) => c.query(`DROP OWNED BY ${role}; DROP ROLE ${role}`));
    }
  });

  it('is chosen by DATABASE_URL, never together with EventStoreDB', async () => {
    expect(() => openEventStore({ databaseUrl: db.url, eventStoreConnectionString: 'esdb://x:2113' })).toThrow(
      EventStoreError,
    );
    const store = openEventStore({ databaseUrl: db.url });
    expect(store).toBeInstanceOf(PostgresEventStore);
    expect(rawEventLog(store)).toBeDefined();
    await store.close();
  });

  it('imports an export into an empty database only, keeping positions and hashes, all or nothing', async () => {
    const target = await createTestDatabase();
    const source = new PostgresEventStore({ connectionString: db.url });
    const copy = new PostgresEventStore({ connectionString: target.url });
    try {
      for (let i = 0; i < 4; i++)
        await source.append(`imp-${Date.now()}-${i}`, [anEvent(), anEvent(), anEvent()], { expectedRevision: 'any' });
      const stored = await rawEventLog(source).page(0, 100_000);
      expect(stored.length).toBeGreaterThan(10);
      const importer = bulkImportOf(copy)!;
      const failed = importer.beginImport();
      failed.write(stored.slice(0, 5));
      await expect(copy.append('x', [anEvent()], { expectedRevision: 'any' })).rejects.toThrow(/import .* in progress/);
      await failed.abort();
      expect(await copy.headPosition()).toBe(0);
      const sink = importer.beginImport();
      sink.write(stored);
      expect(() => sink.write(stored.slice(0, 1))).toThrow(/positions must increase/);
      await sink.commit();
      expect(await rawEventLog(copy).page(0, 100_000)).toEqual(stored);
      const again = importer.beginImport();
      await expect(again.commit()).rejects.toThrow(/only into an empty event store/);
      const last = stored[stored.length - 1];
      const next = await copy.append(last.streamId, [anEvent()], { expectedRevision: last.revision });
      expect(next.position).toBe(last.position + 1);
    } finally {
      await Promise.all([source.close(), copy.close()]);
      await target.drop();
    }
  });
});
