import { Pool } from 'pg';
import type {
  AccessFilter,
  DataKeyRecord,
  KeyCheck,
  NewDataKey,
  PersonalDataAccess,
  PersonalDataKeys,
} from './personal-data-keys.port';
import { SqlitePersonalDataKeys } from './sqlite-personal-data-keys';
import { dataKeyRecord, keyCheckOf, type DataKeyRow } from './data-key-row';

const SCHEMA_LOCK = 0x6475_6264;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS personal_data_meta (name text PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS personal_data_keys (key_id text PRIMARY KEY, reporter_id text NOT NULL, issue_id text NOT NULL,
  wrapped_key text, created_at text NOT NULL, shredded_at text);
CREATE INDEX IF NOT EXISTS personal_data_keys_reporter ON personal_data_keys (reporter_id);
CREATE INDEX IF NOT EXISTS personal_data_keys_issue ON personal_data_keys (issue_id);
CREATE TABLE IF NOT EXISTS personal_data_access (seq bigserial PRIMARY KEY, at text NOT NULL, actor_id text NOT NULL,
  actor_role text NOT NULL, issue_id text, reporter_id text, purpose text NOT NULL);
CREATE INDEX IF NOT EXISTS personal_data_access_issue ON personal_data_access (issue_id, seq);
`;

/**
 * The key table in PostgreSQL, used when the event store is PostgreSQL (DATABASE_URL): every API and worker
 * node reads the same keys, so an identity sealed on one node opens on another (all nodes need the same
 * PERSONAL_DATA_KEY). A shred is followed by VACUUM of the table so the old row versions go too; copies in
 * WAL archives and base backups age out with them (README, "Running on several nodes").
 */
export class PostgresPersonalDataKeys implements PersonalDataKeys {
  readonly location: string;
  private readonly pool: Pool;
  private closed?: Promise<void>;
  private readonly ready: Promise<void>;

  constructor(connectionString: string) {
    const url = new URL(connectionString);
    this.location = `PostgreSQL database ${url.pathname.slice(1)} on ${url.host}`;
    this.pool = new Pool({ connectionString, max: 4 });
    this.pool.on('error', () => undefined);
    this.ready = this.init();
    this.ready.catch(() => undefined);
  }

  private async init(): Promise<void> {
    const client = await this.pool.connect();
    try {
      const present = await client.query<{ t: string | null }>("SELECT to_regclass('personal_data_access')::text AS t");
      if (present.rows[0].t) return;
      await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
      try {
        await client.query(SCHEMA);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  private async query<R extends object>(sql: string, args: unknown[] = []): Promise<R[]> {
    await this.ready;
    return (await this.pool.query<R>(sql, args)).rows;
  }

  async keyCheck(): Promise<KeyCheck | null> {
    const rows = await this.query<{ name: string; value: string }>(
      "SELECT name, value FROM personal_data_meta WHERE name IN ('kcv', 'canary')",
    );
    return keyCheckOf(rows);
  }

  async initKeyCheck(check: KeyCheck): Promise<KeyCheck> {
    await this.query(
      "INSERT INTO personal_data_meta (name, value) VALUES ('kcv', $1), ('canary', $2) ON CONFLICT (name) DO NOTHING",
      [check.kcv, check.canary],
    );
    return (await this.keyCheck())!;
  }

  async insert(r: NewDataKey): Promise<void> {
    await this.query(
      'INSERT INTO personal_data_keys (key_id, reporter_id, issue_id, wrapped_key, created_at) VALUES ($1, $2, $3, $4, $5)',
      [r.keyId, r.reporterId, r.issueId, r.wrappedKey, r.createdAt],
    );
  }

  async get(keyId: string): Promise<DataKeyRecord | null> {
    const [row] = await this.query<DataKeyRow>('SELECT * FROM personal_data_keys WHERE key_id = $1', [keyId]);
    return row ? dataKeyRecord(row) : null;
  }

  async find(by: { reporterId: string } | { issueId: string }): Promise<DataKeyRecord[]> {
    const [column, value] = 'reporterId' in by ? ['reporter_id', by.reporterId] : ['issue_id', by.issueId];
    const rows = await this.query<DataKeyRow>(
      `SELECT * FROM personal_data_keys WHERE ${column} = $1 ORDER BY created_at, key_id`,
      [value],
    );
    return rows.map(dataKeyRecord);
  }

  async shred(keyIds: string[], at: string): Promise<void> {
    await this.query(
      'UPDATE personal_data_keys SET wrapped_key = NULL, shredded_at = COALESCE(shredded_at, $1) WHERE key_id = ANY($2)',
      [at, keyIds],
    );
    // the superseded row versions still hold the wrapped keys until vacuumed (needs the table's owner)
    await this.query('VACUUM personal_data_keys').catch(() => undefined);
  }

  async rewrapAll(rewrap: (r: DataKeyRecord & { wrappedKey: string }) => string, check: KeyCheck): Promise<number> {
    await this.ready;
    const client = await this.pool.connect();
    let count = 0;
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<DataKeyRow>(
        'SELECT * FROM personal_data_keys WHERE wrapped_key IS NOT NULL FOR UPDATE',
      );
      for (const r of rows.map(dataKeyRecord) as (DataKeyRecord & { wrappedKey: string })[])
        await client.query('UPDATE personal_data_keys SET wrapped_key = $1 WHERE key_id = $2', [rewrap(r), r.keyId]);
      await client.query(
        `INSERT INTO personal_data_meta (name, value) VALUES ('kcv', $1), ('canary', $2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
        [check.kcv, check.canary],
      );
      await client.query('COMMIT');
      count = rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    await this.query('VACUUM personal_data_keys').catch(() => undefined);
    return count;
  }

  async recordAccess(entries: PersonalDataAccess[]): Promise<void> {
    if (entries.length === 0) return;
    await this.query(
      `INSERT INTO personal_data_access (at, actor_id, actor_role, issue_id, reporter_id, purpose)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
      [
        entries.map((e) => e.at),
        entries.map((e) => e.actorId),
        entries.map((e) => e.actorRole),
        entries.map((e) => e.issueId),
        entries.map((e) => e.reporterId),
        entries.map((e) => e.purpose),
      ],
    );
  }

  async accesses(filter: AccessFilter): Promise<(PersonalDataAccess & { seq: number })[]> {
    const where = ['seq > $1'];
    const args: unknown[] = [filter.afterSeq ?? 0];
    if (filter.issueId !== undefined) {
      args.push(filter.issueId);
      where.push(`issue_id = $${args.length}`);
    }
    if (filter.reporterId !== undefined) {
      args.push(filter.reporterId);
      where.push(`reporter_id = $${args.length}`);
    }
    args.push(filter.limit);
    const rows = await this.query<PersonalDataAccess & { seq: string }>(
      `SELECT seq, at, actor_id AS "actorId", actor_role AS "actorRole", issue_id AS "issueId", reporter_id AS "reporterId", purpose
       FROM personal_data_access WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${args.length}`,
      args,
    );
    return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  }

  /** Idempotent: an application closed twice (two shutdown hooks) ends the pool once. */
  close(): Promise<void> {
    this.closed ??= this.pool.end();
    return this.closed;
  }
}

/** The key table where the event store is: PostgreSQL when DATABASE_URL is set, else the SQLite file in DATA_DIR. */
export function openPersonalDataKeys(config: { dataDir: string; databaseUrl?: string | null }): PersonalDataKeys {
  return config.databaseUrl
    ? new PostgresPersonalDataKeys(config.databaseUrl)
    : new SqlitePersonalDataKeys(config.dataDir);
}
