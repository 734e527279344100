import type { RecordedEvent } from './event-store.port';
import { canonicalJson, eventHashFromJson, GENESIS_HASH } from './envelope';

export type ChainBreakReason =
  'hash_mismatch' | 'prev_hash_mismatch' | 'missing_revision' | 'reordered' | 'position_order';

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
 * An event in its stored form: data and metadata as the exact canonical JSON the hash covers
 * (what the SQLite columns hold). Verification and export work on it without parsing.
 */
export interface StoredEvent {
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

/** The stored form of an event read through the port (re-canonicalising gives the hashed bytes). */
export function storedForm(event: RecordedEvent): StoredEvent {
  const { prevHash, hash, ...metadata } = event.metadata;
  return {
    position: event.position,
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    dataJson: canonicalJson(event.data),
    metadataJson: canonicalJson(metadata),
    prevHash,
    hash,
  };
}

/** the head of a stream not seen yet */
const NO_HEAD: Readonly<{ revision: number; hash: string }> = Object.freeze({ revision: -1, hash: GENESIS_HASH });

/**
 * Recomputes every stream's hash chain, one event at a time in `$all` order. Keeps only each
 * stream's highest (revision, hash), so memory grows with streams, not events.
 */
export class ChainChecker {
  readonly heads = new Map<string, { revision: number; hash: string }>();
  readonly breaks: ChainBreak[] = [];
  events = 0;
  private lastPosition = 0;
  /** a revision gap not yet explained: filled later means reordered, never filled means missing */
  private readonly gaps = new Map<string, { brk: ChainBreak; after: number }>();

  constructor(private readonly maxBreaks = 100) {}

  get full(): boolean {
    return this.breaks.length >= this.maxBreaks;
  }

  /** checks one event; answers whether it is sound */
  check(event: StoredEvent): boolean {
    this.events++;
    const before = this.breaks.length;
    const at = { streamId: event.streamId, revision: event.revision, position: event.position };
    if (event.position <= this.lastPosition)
      this.add({ ...at, reason: 'position_order', detail: `position ${event.position} follows ${this.lastPosition}` });
    this.lastPosition = Math.max(this.lastPosition, event.position);
    const head = this.heads.get(event.streamId) ?? NO_HEAD;
    if (event.revision > head.revision + 1) {
      const brk: ChainBreak = {
        ...at,
        reason: 'missing_revision',
        detail: `revision ${event.revision} follows ${head.revision}: revision ${head.revision + 1} is missing`,
      };
      this.add(brk);
      this.gaps.set(event.streamId, { brk, after: head.revision });
    } else if (event.revision <= head.revision) {
      const gap = this.gaps.get(event.streamId);
      if (gap && event.revision > gap.after && event.revision < gap.brk.revision) {
        // the missing revision turned up later: the rows were reordered, and the first one out of place is where it broke
        gap.brk.reason = 'reordered';
        gap.brk.detail = `revision ${gap.brk.revision} at position ${gap.brk.position} comes before revision ${event.revision} at position ${event.position}`;
        this.gaps.delete(event.streamId);
      } else {
        this.add({
          ...at,
          reason: 'reordered',
          detail: `revision ${event.revision} comes after revision ${head.revision}`,
        });
      }
    } else if (event.prevHash !== head.hash) {
      this.add({ ...at, reason: 'prev_hash_mismatch', detail: "prevHash does not equal the previous event's hash" });
    }
    const recomputed = eventHashFromJson(event.prevHash, event);
    if (recomputed !== event.hash) {
      this.add({
        ...at,
        reason: 'hash_mismatch',
        detail: `stored hash ${event.hash.slice(0, 12)}… but the content hashes to ${recomputed.slice(0, 12)}…`,
      });
    }
    if (event.revision > head.revision) this.heads.set(event.streamId, { revision: event.revision, hash: event.hash });
    return this.breaks.length === before;
  }

  private add(brk: ChainBreak): void {
    if (this.breaks.length < this.maxBreaks) this.breaks.push(brk);
  }

  report(): ChainReport {
    return { ok: this.breaks.length === 0, events: this.events, streams: this.heads.size, breaks: this.breaks };
  }
}

/** Recomputes every stream's hash chain while reading `$all` in position order (stored form, not upcast). */
export function verifyChains(events: Iterable<RecordedEvent>, options: { maxBreaks?: number } = {}): ChainReport {
  const checker = new ChainChecker(options.maxBreaks ?? 100);
  for (const event of events) {
    checker.check(storedForm(event));
    if (checker.full) break;
  }
  return checker.report();
}
