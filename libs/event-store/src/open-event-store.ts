import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore } from './event-store.port';
import { EventStoreError } from './errors';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { PostgresEventStore } from './postgres/postgres-event-store';
import type { UpcasterRegistry } from './upcasters';

export const EVENTS_FILE = 'events.sqlite';

export interface OpenEventStoreOptions {
  /** the embedded store is `<dataDir>/events.sqlite` … */
  dataDir?: string;
  /** … or this file */
  file?: string;
  /** EventStoreDB instead of the embedded file when set */
  eventStoreConnectionString?: string | null;
  /** PostgreSQL (postgres://…) instead of the embedded file when set; never together with EventStoreDB */
  databaseUrl?: string | null;
  /** the embedded file for reading only (the auditor's CLI): it must exist, appends are refused */
  readonly?: boolean;
  upcasters?: UpcasterRegistry;
}

/** A read-only open found no store where it looked. */
export class EventStoreNotFound extends EventStoreError {
  constructor(readonly file: string) {
    super(`no event store at ${file}`);
  }
}

/**
 * Opens the store and waits until it can be used: a PostgreSQL store checks the server
 * (synchronous_commit) and its schema first, so a process refuses to start rather than fail later.
 */
export async function openEventStoreReady(options: OpenEventStoreOptions): Promise<EventStore> {
  const store = openEventStore(options);
  const ready = (store as { ready?: Promise<void> }).ready;
  if (ready)
    await ready.catch(async (error: unknown) => {
      await store.close().catch(() => undefined);
      throw error;
    });
  return store;
}

/**
 * The one way to open a store, for the API, the worker and the CLIs alike: PostgreSQL when DATABASE_URL
 * is set, EventStoreDB when a connection string is set (DESIGN.md §3), else the embedded file.
 */
export function openEventStore(options: OpenEventStoreOptions): EventStore {
  if (options.databaseUrl && options.eventStoreConnectionString)
    throw new EventStoreError('DATABASE_URL and EVENTSTORE_CONNECTION_STRING are exclusive: set one event store');
  if (options.databaseUrl) {
    return new PostgresEventStore({
      connectionString: options.databaseUrl,
      readonly: options.readonly,
      upcasters: options.upcasters,
    });
  }
  if (options.eventStoreConnectionString) {
    // Loaded on demand: the embedded default must not pay for the gRPC client at start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EsdbEventStore } = require('./esdb/esdb-event-store') as typeof import('./esdb/esdb-event-store');
    return new EsdbEventStore({ connectionString: options.eventStoreConnectionString, upcasters: options.upcasters });
  }
  const file = options.file ?? join(options.dataDir ?? '.', EVENTS_FILE);
  if (options.readonly && !existsSync(file)) throw new EventStoreNotFound(file);
  return new SqliteEventStore({ file, readonly: options.readonly, upcasters: options.upcasters });
}
