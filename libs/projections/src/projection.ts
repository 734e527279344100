import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@duban/event-store';

/** What the runner tells a projection about the batch it is flushing. */
export interface BatchContext {
  /**
   * The file is a rebuild's scratch file: nobody reads it until `settle`, and a failed batch throws the whole file
   * away. A projection may then keep what only queries read in memory (bounded) and write it once, later.
   */
  readonly scratch: boolean;
}

/**
 * A projection writes one read model into the process's SQLite read-model file. `apply` runs inside
 * the runner's transaction together with the checkpoint update, so it must be synchronous and must
 * not swallow errors: a failure rolls the whole batch back, and the runner retries it from the stored
 * checkpoint with backoff until it applies.
 */
export interface Projection {
  /** stable name, used for its checkpoint */
  readonly name: string;
  /** change it when the schema or the meaning of a table changes (e.g. another time zone): the runner rebuilds on start */
  readonly version: number | string;
  /** CREATE TABLE / INDEX statements for a fresh file (indexes that `apply` itself looks rows up by belong here) */
  readonly schema: readonly string[];
  /** CREATE INDEX statements only queries need: a rebuild creates them once it has caught up, not row by row */
  readonly queryIndexes?: readonly string[];
  /** event types it reads; others skip `apply` (their position still advances the checkpoint) */
  readonly handles: ReadonlySet<string>;
  apply(db: Database.Database, event: RecordedEvent): void;
  /** called once per batch, inside its transaction, after every `apply`: write what was deferred */
  flush?(db: Database.Database, batch?: BatchContext): void;
  /**
   * Writes everything a scratch batch left in memory (see `BatchContext.scratch`); the runner calls it in a
   * transaction before a rebuilt file is put in service.
   */
  settle?(db: Database.Database): void;
  /** forget anything kept in memory for `db`: its batch was rolled back (or the connection is done) */
  discard?(db: Database.Database): void;
}
