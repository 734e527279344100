import type Database from 'better-sqlite3';
import { EventStore, ReadAllOptions, SqliteEventStore, StoredEvent, storedForm } from '@duban/event-store';

export type RawEvent = StoredEvent;

/** Reads `$all` page by page (short queries: appends on the same connection are never blocked for long). */
export interface RawEventSource {
  head(): Promise<number>;
  /** events with position > fromPosition, in position order, at most maxCount */
  page(fromPosition: number, maxCount: number): Promise<RawEvent[]>;
  /** every event of one stream, stored form */
  stream(streamId: string): Promise<RawEvent[]>;
}

export const PAGE_SIZE = 10_000;

type Row = [number, string, string, number, string, string, string, string, string];
const COLUMNS = 'position, id, stream_id, revision, type, data, metadata, prev_hash, hash';
const fromRow = (r: Row): RawEvent => ({
  position: r[0],
  id: r[1],
  streamId: r[2],
  revision: r[3],
  type: r[4],
  dataJson: r[5],
  metadataJson: r[6],
  prevHash: r[7],
  hash: r[8],
});

/** The embedded store's rows as they are on disk (the text columns are the hashed canonical JSON). */
export function sqliteSource(db: Database.Database): RawEventSource {
  const page = db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true);
  const stream = db.prepare(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? ORDER BY revision`).raw(true);
  const head = db.prepare('SELECT MAX(position) FROM events').pluck(true);
  return {
    head: async () => (head.get() as number | null) ?? 0,
    page: async (from, max) => (page.all(from, max) as Row[]).map(fromRow),
    stream: async (streamId) => (stream.all(streamId) as Row[]).map(fromRow),
  };
}

/** Any adapter through the port, reading without upcasting (the hash covers the stored version). */
export function portSource(store: EventStore): RawEventSource {
  const raw = { raw: true } as ReadAllOptions;
  return {
    head: () => store.headPosition(),
    page: async (from, max) => (await store.readAll({ ...raw, fromPosition: from, maxCount: max })).map(storedForm),
    stream: async (streamId) => {
      const events =
        store instanceof SqliteEventStore
          ? store.readStreamSync(streamId, { raw: true })
          : await store.readStream(streamId);
      return events.map(storedForm);
    },
  };
}

/** The fastest source for a store: raw rows for the embedded file, the port otherwise. */
export function sourceFor(store: EventStore): RawEventSource {
  return store instanceof SqliteEventStore ? sqliteSource(store.database) : portSource(store);
}

/** Pages through `$all` up to `toPosition` (the head when the run started, so a live store gives a fixed end). */
export async function* pages(
  source: RawEventSource,
  options: { fromPosition?: number; toPosition?: number; pageSize?: number } = {},
): AsyncGenerator<RawEvent[]> {
  const to = options.toPosition ?? (await source.head());
  let from = options.fromPosition ?? 0;
  while (from < to) {
    const page = await source.page(from, options.pageSize ?? PAGE_SIZE);
    const upTo = page.filter((e) => e.position <= to);
    if (upTo.length === 0) return;
    yield upTo;
    // a page is read synchronously from SQLite: let other work (HTTP requests, appends) in between pages
    await new Promise((resolve) => setImmediate(resolve));
    from = upTo[upTo.length - 1].position;
    if (upTo.length < page.length) return;
  }
}
