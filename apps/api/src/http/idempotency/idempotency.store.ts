import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type Reservation =
  { kind: 'reserved' } | { kind: 'replay'; response: StoredResponse } | { kind: 'mismatch' } | { kind: 'in_progress' };

/** After this long a pending key is taken to be a crashed attempt, which a retry may take over. */
export const ABANDONED_AFTER_MS = 30_000;
/** Keys are kept this long (as most APIs that honour Idempotency-Key do). */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

/** Where reservations live: this SQLite file per host, or PostgreSQL shared by every node (idempotency.pg-store.ts). */
export interface IdempotencyKeyStore {
  tryReserve(key: string, fingerprint: string): Reservation | Promise<Reservation>;
  store(key: string, response: StoredResponse): void | Promise<void>;
  forget(key: string): void | Promise<void>;
  close(): void | Promise<void>;
}

/**
 * Idempotency records in their own SQLite file in DATA_DIR, shared by every API process on the
 * host. A key is reserved before the command runs and completed with the answer after, so a
 * concurrent duplicate never runs the command twice.
 */
export class IdempotencyStore implements IdempotencyKeyStore {
  private readonly db: Database.Database;
  private readonly reserve: Database.Statement;
  private readonly find: Database.Statement<
    [string],
    { fingerprint: string; status: number | null; response: string | null; created_at: number }
  >;
  private readonly complete: Database.Statement;
  private readonly release: Database.Statement;
  private readonly takeOver: Database.Statement;
  private readonly purge: Database.Statement;
  private reservations = 0;

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new Database(join(dataDir, 'idempotency.sqlite'));
    this.db.pragma('journal_mode = WAL');
    // NORMAL: a power cut may forget the last keys (a retry then meets the event store's own
    // expected-revision checks); it never makes a command run twice while the process lives.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS idempotency_keys (
      key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, status INTEGER, response TEXT, created_at INTEGER NOT NULL
    ) WITHOUT ROWID`);
    this.reserve = this.db.prepare(
      'INSERT OR IGNORE INTO idempotency_keys (key, fingerprint, created_at) VALUES (?, ?, ?)',
    );
    this.find = this.db.prepare('SELECT fingerprint, status, response, created_at FROM idempotency_keys WHERE key = ?');
    this.complete = this.db.prepare('UPDATE idempotency_keys SET status = ?, response = ? WHERE key = ?');
    this.release = this.db.prepare('DELETE FROM idempotency_keys WHERE key = ? AND status IS NULL');
    this.takeOver = this.db.prepare(
      'UPDATE idempotency_keys SET created_at = ? WHERE key = ? AND status IS NULL AND created_at = ?',
    );
    this.purge = this.db.prepare('DELETE FROM idempotency_keys WHERE created_at < ?');
  }

  tryReserve(key: string, fingerprint: string, now = Date.now()): Reservation {
    if (++this.reservations % 1000 === 0) this.purge.run(now - RETENTION_MS);
    if (this.reserve.run(key, fingerprint, now).changes === 1) return { kind: 'reserved' };
    const row = this.find.get(key);
    if (!row) return this.tryReserve(key, fingerprint, now);
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.status === null) {
      // rerunning a crashed attempt is safe: its command ids derive from the key, so what it appended is not appended again
      const abandoned = now - row.created_at > ABANDONED_AFTER_MS;
      if (abandoned && this.takeOver.run(now, key, row.created_at).changes === 1) return { kind: 'reserved' };
      return { kind: 'in_progress' };
    }
    return { kind: 'replay', response: JSON.parse(row.response!) as StoredResponse };
  }

  store(key: string, response: StoredResponse): void {
    this.complete.run(response.status, JSON.stringify(response), key);
  }

  /**
   * Forgets a reservation whose request failed, so the key may be retried: a retry runs the same command ids,
   * so whatever the failed attempt did append is answered from the stream, not appended twice.
   */
  forget(key: string): void {
    this.release.run(key);
  }

  close(): void {
    this.db.close();
  }
}
