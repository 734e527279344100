import type { PoolClient } from 'pg';

/**
 * The PostgreSQL schema. `data` and `metadata` are `text`, not `jsonb`: they hold the exact canonical
 * JSON the hash chain covers (jsonb would reorder keys and refuse `\u0000`). Positions are assigned by
 * the appending transaction under `APPEND_LOCK` (see postgres-event-store.ts), not by a sequence.
 */
export const APPEND_LOCK = 0x6475_6261; // "duba": serialises position assignment across every process
const SCHEMA_LOCK = 0x6475_6262; // concurrent first starts create the schema once

const TABLES = `
CREATE TABLE events (
  position  bigint  PRIMARY KEY,
  id        uuid    NOT NULL,
  stream_id text    NOT NULL,
  revision  integer NOT NULL,
  type      text    NOT NULL,
  data      text    NOT NULL,
  metadata  text    NOT NULL,
  prev_hash text    NOT NULL,
  hash      text    NOT NULL,
  CONSTRAINT events_stream_revision UNIQUE (stream_id, revision),
  CONSTRAINT events_position_positive CHECK (position > 0)
);
CREATE FUNCTION duban_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'events are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION duban_events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION duban_events_append_only();
CREATE TABLE IF NOT EXISTS health_probe (id integer PRIMARY KEY CHECK (id = 1), at timestamptz NOT NULL);
`;

/**
 * Creates the tables when they are missing. DDL runs only then, so an application role holding just
 * SELECT and INSERT on `events` (README: least privilege) starts once the owner created the schema.
 */
export async function ensureSchema(client: PoolClient): Promise<void> {
  const exists = async () =>
    (await client.query<{ t: string | null }>("SELECT to_regclass('events')::text AS t")).rows[0].t !== null;
  if (await exists()) return;
  // a session lock taken before the transaction: the transaction's catalog lookups then see what a
  // concurrent first start committed (an advisory lock inside it would not refresh them)
  await client.query('SELECT pg_advisory_lock($1)', [SCHEMA_LOCK]);
  try {
    await client.query('BEGIN');
    if (!(await exists())) await client.query(TABLES);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [SCHEMA_LOCK]);
  }
}

/** One event row as the append or the import writes it (the stored form, position included). */
export interface PlannedRow {
  position: number;
  id: string;
  streamId: string;
  revision: number;
  type: string;
  dataJson: string;
  metadataJson: string;
  prevHash: string;
  hash: string;
}

export const COLUMNS = 'position, id, stream_id, revision, type, data, metadata, prev_hash, hash';
export const INSERT_EVENTS = `INSERT INTO events (${COLUMNS})
  SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])`;
export function insertParams(rows: PlannedRow[]): unknown[] {
  return [
    rows.map((r) => r.position),
    rows.map((r) => r.id),
    rows.map((r) => r.streamId),
    rows.map((r) => r.revision),
    rows.map((r) => r.type),
    rows.map((r) => r.dataJson),
    rows.map((r) => r.metadataJson),
    rows.map((r) => r.prevHash),
    rows.map((r) => r.hash),
  ];
}
