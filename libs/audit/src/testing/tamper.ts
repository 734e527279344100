import Database from 'better-sqlite3';
import { canonicalJson, EventRow, eventHashFromJson } from '@duban/event-store';

/**
 * The attacker of the tamper tests: someone with write access to the SQLite file who drops the
 * append-only triggers and edits rows directly. Each function names one kind of tampering.
 */
function asAttacker<T>(file: string, edit: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    db.exec('DROP TRIGGER IF EXISTS events_append_only_update; DROP TRIGGER IF EXISTS events_append_only_delete;');
    return db.transaction(() => edit(db))();
  } finally {
    db.close();
  }
}

type Row = EventRow;

const rowAt = (db: Database.Database, position: number) => {
  const row = db.prepare('SELECT * FROM events WHERE position = ?').get(position) as Row | undefined;
  if (!row) throw new Error(`no event at position ${position}`);
  return row;
};

/** Flips one character of the event's stored data, keeping it valid JSON when it can (a digit or a letter). */
export function changeOneByteOfData(file: string, position: number): void {
  asAttacker(file, (db) => {
    const { data } = rowAt(db, position);
    const i = data.search(/[0-9a-zA-Z]/);
    if (i < 0) throw new Error('no character to change');
    const c = data[i];
    const changed =
      data.slice(0, i) + (c === '1' ? '2' : c === 'a' ? 'b' : /[0-9]/.test(c) ? '1' : 'a') + data.slice(i + 1);
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(changed, position);
  });
}

/** What an edit of one row may change besides its data: the event's type and its metadata (actor, recordedAt, ...). */
export interface RowEdit {
  type?: string;
  metadata?: (metadata: Record<string, unknown>) => Record<string, unknown>;
}

const editedRow = (row: Row, edit: RowEdit) => ({
  type: edit.type ?? row.type,
  metadata: edit.metadata ? JSON.stringify(edit.metadata(JSON.parse(row.metadata))) : row.metadata,
});

/** Changes the event's type or metadata in place, hashes left as they were. */
export function editEventRow(file: string, position: number, edit: RowEdit): void {
  asAttacker(file, (db) => {
    const { type, metadata } = editedRow(rowAt(db, position), edit);
    db.prepare('UPDATE events SET type = ?, metadata = ? WHERE position = ?').run(type, metadata, position);
  });
}

/** Cuts the event's stored data short, so it is not JSON any more. */
export function breakDataJson(file: string, position: number): void {
  asAttacker(file, (db) =>
    db.prepare('UPDATE events SET data = substr(data, 1, length(data) - 1) WHERE position = ?').run(position),
  );
}

export function deleteEvent(file: string, position: number): void {
  asAttacker(file, (db) => db.prepare('DELETE FROM events WHERE position = ?').run(position));
}

/** Exchanges two rows' contents, keeping their positions: the log's order changes. */
export function swapEvents(file: string, a: number, b: number): void {
  asAttacker(file, (db) => {
    const ra = rowAt(db, a);
    const rb = rowAt(db, b);
    const put = db.prepare(
      'UPDATE events SET id = ?, stream_id = ?, revision = ?, type = ?, data = ?, metadata = ?, prev_hash = ?, hash = ? WHERE position = ?',
    );
    db.prepare('UPDATE events SET revision = -1 - revision WHERE position IN (?, ?)').run(a, b);
    put.run(rb.id, rb.stream_id, rb.revision, rb.type, rb.data, rb.metadata, rb.prev_hash, rb.hash, a);
    put.run(ra.id, ra.stream_id, ra.revision, ra.type, ra.data, ra.metadata, ra.prev_hash, ra.hash, b);
  });
}

/**
 * Rewrites one event's data (and, given `edit`, its type or metadata) AND recomputes its hash and every later hash of its stream, so the
 * stream's chain is intact again (what an attacker without the ledger key can do best).
 */
export function forgeAndRehash(
  file: string,
  position: number,
  rewrite: (data: Record<string, unknown>) => unknown,
  edit: RowEdit = {},
): void {
  asAttacker(file, (db) => {
    const target = rowAt(db, position);
    const later = db
      .prepare('SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision')
      .all(target.stream_id, target.revision) as Row[];
    const put = db.prepare(
      'UPDATE events SET type = ?, data = ?, metadata = ?, prev_hash = ?, hash = ? WHERE position = ?',
    );
    let prevHash = target.prev_hash;
    for (const row of later) {
      const forged = row.position === position;
      const dataJson = forged ? canonicalJson(rewrite(JSON.parse(row.data))) : row.data;
      const { type, metadata } = forged ? editedRow(row, edit) : row;
      const hash = eventHashFromJson(prevHash, {
        id: row.id,
        streamId: row.stream_id,
        revision: row.revision,
        type,
        dataJson,
        metadataJson: metadata,
      });
      put.run(type, dataJson, metadata, prevHash, hash, row.position);
      prevHash = hash;
    }
  });
}

/** Rewrites a digest event's claimed value and re-hashes the audit stream's chain (the signature cannot follow). */
export function forgeDigest(file: string, position: number): void {
  forgeAndRehash(file, position, (digest) => ({ ...digest, digest: 'f'.repeat(64) }));
}
