import type { EventStore } from './event-store.port';
import { EventStoreError } from './errors';
import type { StoredEvent } from './verify';

/**
 * The second port: abilities beyond `EventStore` that only some adapters have. An adapter declares
 * them in `store.capabilities`; code outside this library asks there (or injects the tokens below),
 * never `instanceof` an adapter.
 */

/** Reads the log in its stored form (the exact bytes the hashes cover, never upcast): verification and export. */
export interface RawEventLog {
  /** position of the last committed event, 0 when empty */
  head(): Promise<number>;
  /** events with position > fromPosition, in position order, at most maxCount */
  page(fromPosition: number, maxCount: number): Promise<StoredEvent[]>;
  /** every event of one stream, in revision order */
  stream(streamId: string): Promise<StoredEvent[]>;
}

/** A bulk import in progress: committed at the end or not at all. */
export interface StoredEventImport {
  /** inserts events in position order, positions and hashes as given (the caller has verified them) */
  write(events: StoredEvent[]): void;
  /** the last position written */
  readonly position: number;
  /** an adapter with an asynchronous driver (PostgreSQL) answers a promise: await it */
  commit(): void | Promise<void>;
  abort(): void | Promise<void>;
}

/** Restores an exported log into an empty store keeping its positions and hashes, so its digests still verify. */
export interface BulkImport {
  /** refuses (EventStoreError) when the store holds events or another import is running */
  beginImport(): StoredEventImport;
}

export interface EventStoreCapabilities {
  readonly rawLog?: RawEventLog;
  /** absent where the store assigns its own positions (EventStoreDB) */
  readonly bulkImport?: BulkImport;
}

/** DI tokens (provided by EventStoreModule): the raw log always, the bulk import or null. */
export const RAW_EVENT_LOG = Symbol('RAW_EVENT_LOG');
export const BULK_IMPORT = Symbol('BULK_IMPORT');

/** The adapter lacks an ability a caller needs. */
export class CapabilityMissing extends EventStoreError {}

export function rawEventLog(store: EventStore): RawEventLog {
  const log = store.capabilities.rawLog;
  if (!log) throw new CapabilityMissing('this event store cannot read its events in their stored form');
  return log;
}

export function bulkImportOf(store: EventStore): BulkImport | null {
  return store.capabilities.bulkImport ?? null;
}
