import {
  canonicalJson,
  deterministicUuid,
  eventHashFromJson,
  GENESIS_HASH,
  SqliteEventStore,
  StoredEvent,
} from '@duban/event-store';

/** One event to write: the store computes nothing here, so the writer does what an append would. */
export interface LogEvent {
  streamId: string;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

/**
 * Writes generated events straight into an empty store through its bulk import (positions in order,
 * revisions and hash chains as `append` would compute them), far quicker than a million appends.
 */
export function writeLog(store: SqliteEventStore, events: Iterable<LogEvent>): { events: number; bytes: number } {
  const sink = store.beginImport();
  const heads = new Map<string, { revision: number; hash: string }>();
  let bytes = 0;
  let position = 0;
  try {
    let batch: StoredEvent[] = [];
    for (const event of events) {
      position++;
      const head = heads.get(event.streamId) ?? { revision: -1, hash: GENESIS_HASH };
      const revision = head.revision + 1;
      const dataJson = canonicalJson(event.data);
      const metadataJson = canonicalJson(event.metadata);
      const id = deterministicUuid(`event-${position}`);
      const hash = eventHashFromJson(head.hash, {
        id,
        streamId: event.streamId,
        revision,
        type: event.type,
        dataJson,
        metadataJson,
      });
      batch.push({
        position,
        id,
        streamId: event.streamId,
        revision,
        type: event.type,
        dataJson,
        metadataJson,
        prevHash: head.hash,
        hash,
      });
      heads.set(event.streamId, { revision, hash });
      bytes += dataJson.length + metadataJson.length;
      if (batch.length === 10_000) {
        sink.write(batch);
        batch = [];
      }
    }
    sink.write(batch);
    sink.commit();
  } catch (error) {
    sink.abort();
    throw error;
  }
  return { events: position, bytes };
}

/** The metadata every generated event carries (what the API would record). */
export function generatedMetadata(position: number, actor: object, recordedAt: string): Record<string, unknown> {
  return {
    actor,
    causationId: null,
    commandId: deterministicUuid(`cmd-${position}`),
    correlationId: deterministicUuid(`corr-${position}`),
    recordedAt,
    schemaVersion: 1,
  };
}
