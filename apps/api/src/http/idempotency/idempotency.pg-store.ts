import { Pool } from 'pg';
import type { IdempotencyKeyStore, Reservation, StoredResponse } from './idempotency.store';
import { ABANDONED_AFTER_MS, RETENTION_MS } from './idempotency.store';

const SCHEMA_LOCK = 0x6475_6263;

/**
 * Idempotency records in PostgreSQL, used when the event store is PostgreSQL (DATABASE_URL): every API
 * node sees every other node's reservations, so a key retried on another node is answered from the
 * first answer, and a duplicate arriving there while the first still runs is 409. Same rules as the
 * SQLite file (idempotency.store.ts).
 */
export class PostgresIdempotencyStore implements IdempotencyKeyStore {
  private readonly pool: Pool;
  private readonly ready: Promise<void>;
  private reservations = 0;

  constructor(connectionString: string) {
    this.pool = new Pool({ connectionString, max: 4 });
    this.pool.on('error', () => undefined);
    this.ready = this.init();
    this.ready.catch(() => undefined);
  }

  private async init(): Promise<void> {
    const client = await this.pool.connect();
    try {
      const exists = async () =>
        (await client.query<{ t: string | null }>("SELECT to_regclass('idempotency_keys')::text AS t")).rows[0].t;
      if (await exists()) return;
      await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
      try {
        await client.query(`CREATE TABLE IF NOT EXISTS idempotency_keys (
          key text PRIMARY KEY, fingerprint text NOT NULL, status integer, response text, created_at bigint NOT NULL)`);
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]);
      }
    } finally {
      client.release();
    }
  }

  async tryReserve(key: string, fingerprint: string, now = Date.now()): Promise<Reservation> {
    await this.ready;
    if (++this.reservations % 1000 === 0)
      await this.pool.query('DELETE FROM idempotency_keys WHERE created_at < $1', [now - RETENTION_MS]);
    const reserved = await this.pool.query(
      'INSERT INTO idempotency_keys (key, fingerprint, created_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING',
      [key, fingerprint, now],
    );
    if (reserved.rowCount === 1) return { kind: 'reserved' };
    const { rows } = await this.pool.query<{
      fingerprint: string;
      status: number | null;
      response: string | null;
      created_at: string;
    }>('SELECT fingerprint, status, response, created_at FROM idempotency_keys WHERE key = $1', [key]);
    const row = rows[0];
    if (!row) return this.tryReserve(key, fingerprint, now);
    if (row.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (row.status === null) {
      const abandoned = now - Number(row.created_at) > ABANDONED_AFTER_MS;
      if (abandoned) {
        const taken = await this.pool.query(
          'UPDATE idempotency_keys SET created_at = $1 WHERE key = $2 AND status IS NULL AND created_at = $3',
          [now, key, row.created_at],
        );
        if (taken.rowCount === 1) return { kind: 'reserved' };
      }
      return { kind: 'in_progress' };
    }
    return { kind: 'replay', response: JSON.parse(row.response!) as StoredResponse };
  }

  async store(key: string, response: StoredResponse): Promise<void> {
    await this.pool.query('UPDATE idempotency_keys SET status = $1, response = $2 WHERE key = $3', [
      response.status,
      JSON.stringify(response),
      key,
    ]);
  }

  async forget(key: string): Promise<void> {
    await this.pool.query('DELETE FROM idempotency_keys WHERE key = $1 AND status IS NULL', [key]);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
