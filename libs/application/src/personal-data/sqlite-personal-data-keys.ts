import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type {
  AccessFilter,
  DataKeyRecord,
  KeyCheck,
  NewDataKey,
  PersonalDataAccess,
  PersonalDataKeys,
} from './personal-data-keys.port';
import { dataKeyRecord, keyCheckOf, type DataKeyRow } from './data-key-row';
import { KeyWriter } from './key-writer';

/** The key table's file in DATA_DIR (beside `events.sqlite`, never inside it). */
export const PERSONAL_DATA_FILE = 'personal-data.sqlite';

const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)',
  `CREATE TABLE IF NOT EXISTS data_keys (key_id TEXT PRIMARY KEY, reporter_id TEXT NOT NULL, issue_id TEXT NOT NULL,
    wrapped_key TEXT, created_at TEXT NOT NULL, shredded_at TEXT)`,
  'CREATE INDEX IF NOT EXISTS data_keys_reporter ON data_keys (reporter_id)',
  'CREATE INDEX IF NOT EXISTS data_keys_issue ON data_keys (issue_id)',
  `CREATE TABLE IF NOT EXISTS personal_data_access (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
    actor_id TEXT NOT NULL, actor_role TEXT NOT NULL, issue_id TEXT, reporter_id TEXT, purpose TEXT NOT NULL)`,
  'CREATE INDEX IF NOT EXISTS personal_data_access_issue ON personal_data_access (issue_id, seq)',
];

/**
 * The key table in its own SQLite file. `secure_delete` overwrites a shredded key's bytes in the file,
 * and a WAL checkpoint after each shred leaves no copy in `-wal` either.
 */
export class SqlitePersonalDataKeys implements PersonalDataKeys {
  readonly location: string;
  private readonly db: Database.Database;

  constructor(dataDir: string, options: { readonly?: boolean } = {}) {
    this.location = join(dataDir, PERSONAL_DATA_FILE);
    if (!options.readonly) mkdirSync(dirname(this.location), { recursive: true });
    this.db = new Database(this.location, {
      readonly: options.readonly === true,
      fileMustExist: options.readonly === true,
    });
    this.db.pragma('busy_timeout = 10000');
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('secure_delete = ON');
      for (const sql of SCHEMA) this.db.exec(sql);
    }
  }

  async keyCheck(): Promise<KeyCheck | null> {
    const rows = this.db.prepare("SELECT name, value FROM meta WHERE name IN ('kcv', 'canary')").all() as {
      name: string;
      value: string;
    }[];
    return keyCheckOf(rows);
  }

  async initKeyCheck(check: KeyCheck): Promise<KeyCheck> {
    const insert = this.db.prepare('INSERT OR IGNORE INTO meta (name, value) VALUES (?, ?)');
    this.db.transaction(() => {
      insert.run('kcv', check.kcv);
      insert.run('canary', check.canary);
    })();
    return (await this.keyCheck())!;
  }

  /** started at the first insert: a read-only table (the audit CLI) never starts it */
  private keyWriter?: KeyWriter;

  /**
   * Durable (synchronous = FULL) before it resolves, so no event ever carries a ciphertext whose key a crash
   * lost. Group commit on a worker thread: the keys of every registration in the same event-loop turn go in one
   * transaction, and its fsync does not hold the event loop.
   */
  insert(key: NewDataKey): Promise<void> {
    if (!this.keyWriter || this.keyWriter.broken) this.keyWriter = new KeyWriter(this.location);
    return this.keyWriter.insert(key);
  }

  /** prepared once: a list page looks up the key of each reporter it shows */
  private getKey?: Database.Statement;

  async get(keyId: string): Promise<DataKeyRecord | null> {
    this.getKey ??= this.db.prepare('SELECT * FROM data_keys WHERE key_id = ?');
    const row = this.getKey.get(keyId) as DataKeyRow | undefined;
    return row ? dataKeyRecord(row) : null;
  }

  async find(by: { reporterId: string } | { issueId: string }): Promise<DataKeyRecord[]> {
    const [column, value] = 'reporterId' in by ? ['reporter_id', by.reporterId] : ['issue_id', by.issueId];
    const rows = this.db.prepare(`SELECT * FROM data_keys WHERE ${column} = ? ORDER BY created_at`).all(value);
    return (rows as DataKeyRow[]).map(dataKeyRecord);
  }

  async shred(keyIds: string[], at: string): Promise<void> {
    const update = this.db.prepare(
      'UPDATE data_keys SET wrapped_key = NULL, shredded_at = COALESCE(shredded_at, ?) WHERE key_id = ?',
    );
    this.db.transaction(() => keyIds.forEach((id) => update.run(at, id)))();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  async rewrapAll(rewrap: (r: DataKeyRecord & { wrappedKey: string }) => string, check: KeyCheck): Promise<number> {
    const rows = this.db.prepare('SELECT * FROM data_keys WHERE wrapped_key IS NOT NULL');
    const update = this.db.prepare('UPDATE data_keys SET wrapped_key = ? WHERE key_id = ?');
    const setMeta = this.db.prepare(
      'INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    );
    const count = this.db
      .transaction(() => {
        const all = (rows.all() as DataKeyRow[]).map(dataKeyRecord) as (DataKeyRecord & { wrappedKey: string })[];
        for (const r of all) update.run(rewrap(r), r.keyId);
        setMeta.run('kcv', check.kcv);
        setMeta.run('canary', check.canary);
        return all.length;
      })
      .immediate();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return count;
  }

  async recordAccess(entries: PersonalDataAccess[]): Promise<void> {
    if (entries.length === 0) return;
    const insert = this.db.prepare(
      'INSERT INTO personal_data_access (at, actor_id, actor_role, issue_id, reporter_id, purpose) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      for (const e of entries) insert.run(e.at, e.actorId, e.actorRole, e.issueId, e.reporterId, e.purpose);
    })();
  }

  async accesses(filter: AccessFilter): Promise<(PersonalDataAccess & { seq: number })[]> {
    const where = ['seq > ?'];
    const args: unknown[] = [filter.afterSeq ?? 0];
    if (filter.issueId !== undefined) {
      where.push('issue_id = ?');
      args.push(filter.issueId);
    }
    if (filter.reporterId !== undefined) {
      where.push('reporter_id = ?');
      args.push(filter.reporterId);
    }
    const rows = this.db
      .prepare(
        `SELECT seq, at, actor_id AS actorId, actor_role AS actorRole, issue_id AS issueId, reporter_id AS reporterId, purpose
         FROM personal_data_access WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`,
      )
      .all(...args, filter.limit);
    return rows as (PersonalDataAccess & { seq: number })[];
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.keyWriter?.close();
    this.db.close();
  }
}
