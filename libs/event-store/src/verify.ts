import type { RecordedEvent } from './event-store.port';
import { GENESIS_HASH, recomputeHash } from './envelope';

export type ChainBreakReason = 'hash_mismatch' | 'prev_hash_mismatch' | 'missing_revision' | 'position_order';

export interface ChainBreak {
  streamId: string;
  revision: number;
  position: number;
  reason: ChainBreakReason;
  detail: string;
}

export interface ChainReport {
  ok: boolean;
  events: number;
  streams: number;
  breaks: ChainBreak[];
}

/**
 * Recomputes every stream's hash chain while reading `$all` in position order (stored form, not
 * upcast). Keeps only each stream's last (revision, hash), so memory grows with streams, not events.
 */
export function verifyChains(events: Iterable<RecordedEvent>, options: { maxBreaks?: number } = {}): ChainReport {
  const maxBreaks = options.maxBreaks ?? 100;
  const heads = new Map<string, { revision: number; hash: string }>();
  const breaks: ChainBreak[] = [];
  let count = 0;
  let lastPosition = 0;
  for (const event of events) {
    count++;
    const at = { streamId: event.streamId, revision: event.revision, position: event.position };
    if (event.position <= lastPosition) breaks.push({ ...at, reason: 'position_order', detail: `position ${event.position} follows ${lastPosition}` });
    lastPosition = Math.max(lastPosition, event.position);
    const head = heads.get(event.streamId) ?? { revision: -1, hash: GENESIS_HASH };
    if (event.revision !== head.revision + 1) {
      breaks.push({ ...at, reason: 'missing_revision', detail: `revision ${event.revision} follows ${head.revision}` });
    } else if (event.metadata.prevHash !== head.hash) {
      breaks.push({ ...at, reason: 'prev_hash_mismatch', detail: 'prevHash does not equal the previous event\'s hash' });
    }
    const recomputed = recomputeHash(event);
    if (recomputed !== event.metadata.hash) {
      breaks.push({ ...at, reason: 'hash_mismatch', detail: `stored hash ${event.metadata.hash.slice(0, 12)}… but content hashes to ${recomputed.slice(0, 12)}…` });
    }
    heads.set(event.streamId, { revision: event.revision, hash: event.metadata.hash });
    if (breaks.length >= maxBreaks) break;
  }
  return { ok: breaks.length === 0, events: count, streams: heads.size, breaks };
}
