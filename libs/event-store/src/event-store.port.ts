/**
 * The event store port. Every adapter (embedded SQLite, EventStoreDB) honours this contract,
 * and one contract suite (`testing/event-store.contract.ts`) proves it for each.
 *
 * Revisions are 0-based per stream (like EventStoreDB). Positions are global, strictly
 * increasing in commit order, and > 0; `0` means "before the first event".
 */

import type { EventStoreCapabilities } from './capabilities.port';

export const EVENT_STORE = Symbol('EVENT_STORE');

/** `no_stream`: the stream must not exist; `stream_exists`: it must; `any`: no check; a number: its last revision. */
export type ExpectedRevision = 'no_stream' | 'any' | 'stream_exists' | number;

export interface Actor {
  /** user id (`sub`), or `system:<name>` for background work */
  id: string;
  role: string;
  name?: string;
}

/** What a caller supplies; the store adds schemaVersion defaults, recordedAt when missing, and the hash chain. */
export interface EventMetadataInput {
  actor: Actor;
  correlationId: string;
  causationId?: string | null;
  commandId?: string | null;
  /** ISO-8601 instant; domain code passes the command's time, the store fills it in when absent. */
  recordedAt?: string;
  schemaVersion?: number;
}

export interface EventMetadata {
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  commandId: string | null;
  recordedAt: string;
  schemaVersion: number;
  /** hash of the previous event in the same stream (64 zeros for revision 0) */
  prevHash: string;
  /** SHA-256 over prevHash and the canonical JSON of this event (see envelope.ts) */
  hash: string;
}

export interface EventToAppend<T extends string = string, D = unknown> {
  /** UUID; when absent the store derives a deterministic one (see envelope.ts) so a retried append is idempotent. */
  id?: string;
  type: T;
  data: D;
  metadata: EventMetadataInput;
}

// `unknown` would be right, but the read-model projections (libs/projections, apps/worker) read `event.data` untyped today.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface RecordedEvent<T extends string = string, D = any> {
  id: string;
  streamId: string;
  type: T;
  revision: number;
  position: number;
  data: D;
  metadata: EventMetadata;
}

export interface AppendResult {
  /** the stream's revision after the append (the last appended event's revision) */
  revision: number;
  /** the global position of the last appended event */
  position: number;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** inclusive; default: start (forwards) or end (backwards) */
  fromRevision?: number;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** exclusive: events with position > fromPosition; default 0 (from the start) */
  fromPosition?: number;
  maxCount?: number;
}

export interface SubscribeOptions {
  /** exclusive checkpoint: the subscription delivers events with position > fromPosition */
  fromPosition?: number;
  /** most events per handler call (catching up delivers full batches) */
  batchSize?: number;
}

export type SubscriptionHandler = (events: RecordedEvent[]) => Promise<void> | void;

export interface Subscription {
  /** resolves once the subscription has delivered everything that existed when it started */
  readonly caughtUp: Promise<void>;
  /** the position of the last event handed to the handler and finished */
  readonly position: number;
  /** stops delivering; resolves after the batch in flight finished */
  stop(): Promise<void>;
  /** rejects when the handler threw (the subscription stops at the failing batch) */
  readonly done: Promise<void>;
}

export interface StreamInfo {
  exists: boolean;
  /** last revision, -1 when the stream does not exist */
  revision: number;
}

export interface EventStore {
  /** Appends atomically; resolves only once the events are durable. */
  append(
    streamId: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** A missing stream reads as an empty array (adapters translate StreamNotFound). */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Catch up from the checkpoint, then go live: no gap and no duplicate at the seam. */
  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler): Subscription;
  streamInfo(streamId: string): Promise<StreamInfo>;
  /** position of the last committed event, 0 when empty */
  headPosition(): Promise<number>;
  /** write and read a probe (for /health) */
  ping(): Promise<void>;
  close(): Promise<void>;
  /** what this adapter can do beyond the port (capabilities.port.ts): ask here, never `instanceof` */
  readonly capabilities: EventStoreCapabilities;
}
