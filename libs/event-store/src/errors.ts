import type { ExpectedRevision } from './event-store.port';

/** Base class so callers can `instanceof EventStoreError`. */
export class EventStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The stream's revision was not what the append expected (optimistic concurrency). */
export class WrongExpectedVersion extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** -1 when the stream does not exist */
    readonly actual: number,
  ) {
    super(
      `wrong expected version on stream ${streamId}: expected ${String(expected)}, actual ${actual === -1 ? 'no stream' : actual}`,
    );
  }
}

/** The append itself is malformed (bad stream id, empty type, non-JSON data, …). */
export class InvalidAppend extends EventStoreError {}

/** An upcaster or the stored row is unreadable. */
export class CorruptEvent extends EventStoreError {}

/** Another connection held the store's write lock for longer than an append may wait: try again shortly. */
export class StoreBusy extends EventStoreError {
  constructor(readonly waitedMs: number) {
    super(`the event store stayed locked by another writer for ${waitedMs} ms; retry shortly`);
  }
}
