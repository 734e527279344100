import type { Pool, PoolClient } from 'pg';
import type { BulkImport, StoredEventImport } from '../capabilities.port';
import { EventStoreError } from '../errors';
import type { StoredEvent } from '../verify';
import { APPEND_LOCK, INSERT_EVENTS, insertParams } from './pg-schema';

export interface ImportHooks {
  /** throws when an import may not start (closed, another import running); appends are refused until `end` */
  begin(): void;
  end(committed: boolean): void;
}

/**
 * Bulk import into PostgreSQL: one transaction holding the append lock (so no append interleaves and
 * nothing of a failed import remains), positions and hashes kept as exported. Writes are queued on
 * that transaction as they come; `commit` resolves once PostgreSQL committed them, and rejects with
 * the first failed write (the transaction is rolled back then).
 */
export function postgresBulkImport(pool: Pool, ready: Promise<void>, hooks: ImportHooks): BulkImport {
  return {
    beginImport(): StoredEventImport {
      hooks.begin();
      let position = 0;
      let client: PoolClient | undefined;
      let chain: Promise<void> = (async () => {
        await ready;
        client = await pool.connect();
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [APPEND_LOCK]);
        const { rows } = await client.query<{ held: boolean }>('SELECT EXISTS (SELECT 1 FROM events) AS held');
        if (rows[0].held)
          throw new EventStoreError('imports are accepted only into an empty event store; this one holds events');
      })();
      chain.catch(() => undefined);
      let ended = false;
      const end = async (sql: 'COMMIT' | 'ROLLBACK') => {
        if (ended) throw new EventStoreError('this import has already ended');
        ended = true;
        try {
          if (sql === 'COMMIT') await chain;
          else await chain.catch(() => undefined);
          await client?.query(sql);
          hooks.end(sql === 'COMMIT');
        } catch (error) {
          await client?.query('ROLLBACK').catch(() => undefined);
          hooks.end(false);
          throw error;
        } finally {
          client?.release();
        }
      };
      return {
        get position() {
          return position;
        },
        write(events: StoredEvent[]) {
          if (ended) throw new EventStoreError('this import has already ended');
          for (const e of events) {
            if (!(e.position > position))
              throw new EventStoreError(`imported positions must increase: ${e.position} follows ${position}`);
            position = e.position;
          }
          const rows = events.slice();
          chain = chain.then(async () => {
            if (rows.length) await client!.query(INSERT_EVENTS, insertParams(rows));
          });
          chain.catch(() => undefined);
        },
        commit: () => end('COMMIT'),
        abort: () => end('ROLLBACK').catch(() => undefined),
      };
    },
  };
}
