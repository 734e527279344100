import type { EventMetadata, RecordedEvent } from '../event-store.port';

/**
 * Pure mapping between EventStoreDB's records and the port's envelope, kept apart so it is
 * tested without a server.
 *
 * Positions: the port's position is the event's *prepare* position in EventStoreDB's transaction
 * log — unique per event and increasing in commit order (events of one append share a commit
 * position but not a prepare position). A numeric checkpoint p resumes at `{commit: p, prepare: p}`
 * and every event at position ≤ p is dropped, which makes the checkpoint exclusive.
 */
export interface EsdbRecord {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  data: unknown;
  metadata: unknown;
  position?: { commit: bigint; prepare: bigint };
}

export function isSystemRecord(record: Pick<EsdbRecord, 'streamId' | 'type'>): boolean {
  return record.type.startsWith('$') || record.streamId.startsWith('$');
}

export function positionOf(record: Pick<EsdbRecord, 'position'>): number {
  if (!record.position) throw new Error('an EventStoreDB record without a log position');
  return Number(record.position.prepare);
}

export function resumeFrom(position: number): { commit: bigint; prepare: bigint } | 'start' {
  return position <= 0 ? 'start' : { commit: BigInt(position), prepare: BigInt(position) };
}

export function toRecorded(record: EsdbRecord): RecordedEvent {
  const metadata = (record.metadata ?? {}) as Partial<EventMetadata>;
  return {
    id: record.id,
    streamId: record.streamId,
    type: record.type,
    revision: Number(record.revision),
    position: positionOf(record),
    data: record.data,
    metadata: {
      actor: metadata.actor ?? { id: 'unknown', role: 'unknown' },
      correlationId: metadata.correlationId ?? '',
      causationId: metadata.causationId ?? null,
      commandId: metadata.commandId ?? null,
      recordedAt: metadata.recordedAt ?? '',
      schemaVersion: metadata.schemaVersion ?? 1,
      prevHash: metadata.prevHash ?? '',
      hash: metadata.hash ?? '',
    },
  };
}

/** EventStoreDB's "current revision" (bigint or "no_stream") as the port's number (-1 = no stream). */
export function revisionNumber(current: unknown): number {
  return typeof current === 'bigint' ? Number(current) : typeof current === 'number' ? current : -1;
}

/** The part of the client the health probe may use: reads only. */
export interface EsdbReader {
  readAll(options: { fromPosition: 'end'; direction: 'backwards'; maxCount: number }): AsyncIterable<unknown>;
}

/** Proves the server answers by reading (at most) the log's last record; it never appends. */
export async function probeByReading(client: EsdbReader): Promise<void> {
  for await (const _record of client.readAll({ fromPosition: 'end', direction: 'backwards', maxCount: 1 })) break;
}
