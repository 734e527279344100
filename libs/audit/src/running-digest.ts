import { sha256Hex } from '@duban/event-store';

/** The running digest before the first event. */
export const GENESIS_DIGEST = '0'.repeat(64);

/**
 * The ledger digest after one more event of `$all`: SHA-256 over the previous digest, the event's
 * global position and its hash. Chained per event (not one long hash) so it can resume from any
 * signed digest, and covering positions so a reordering or a deleted row changes it.
 */
export function nextDigest(previous: string, position: number, eventHash: string): string {
  return sha256Hex(`${previous}\n${position}\n${eventHash}`);
}
