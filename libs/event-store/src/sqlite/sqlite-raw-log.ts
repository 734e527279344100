import type Database from 'better-sqlite3';
import type { RawEventLog } from '../capabilities.port';
import type { StoredEvent } from '../verify';

type Row = [number, string, string, number, string, string, string, string, string];
const COLUMNS = 'position, id, stream_id, revision, type, data, metadata, prev_hash, hash';
const fromRow = (r: Row): StoredEvent => ({
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

/**
 * The embedded file's rows as they are on disk: the text columns already are the hashed canonical
 * JSON, so nothing is parsed. Short page queries never block appends on the same connection for long.
 */
export function sqliteRawLog(db: Database.Database): RawEventLog {
  const page = db.prepare(`SELECT ${COLUMNS} FROM events WHERE position > ? ORDER BY position LIMIT ?`).raw(true);
  const stream = db.prepare(`SELECT ${COLUMNS} FROM events WHERE stream_id = ? ORDER BY revision`).raw(true);
  const head = db.prepare('SELECT MAX(position) FROM events').pluck(true);
  return {
    head: async () => (head.get() as number | null) ?? 0,
    page: async (from, max) => (page.all(from, max) as Row[]).map(fromRow),
    stream: async (streamId) => (stream.all(streamId) as Row[]).map(fromRow),
  };
}
