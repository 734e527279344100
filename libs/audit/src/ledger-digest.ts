import { createHash } from 'node:crypto';
import {
  canonicalJson,
  deterministicUuid,
  EventStore,
  RawEventLog,
  rawEventLog,
  WrongExpectedVersion,
} from '@duban/event-store';
import { GENESIS_DIGEST, nextDigest } from './running-digest';
import { pages } from './raw-events';
import { DigestSigner, Keyring, SignatureCheck } from './signing-key';

/** The stream the ledger digests are appended to. */
export const AUDIT_STREAM = 'audit';
export const DIGEST_EVENT_TYPE = 'LedgerDigestRecorded';
/** above this many streams touched in one interval a digest lists none (an event must stay well under 4 MB) */
export const MAX_DIGEST_HEADS = 5000;
const SIGNED_PREFIX = 'duban-ledger-digest/v1\n';

/** A stream's head at the digest's position: [streamId, revision, hash]. */
export type StreamHead = [string, number, string];

/**
 * A signed statement "the running digest of `$all` up to `position` is `digest`". The heads of the
 * streams written since the previous digest let a verifier name the stream a forger rewrote.
 */
export interface LedgerDigest {
  position: number;
  digest: string;
  /** the previous digest's position (0 for the first) */
  previousPosition: number;
  /** events in (previousPosition, position] */
  events: number;
  /** streams written in (previousPosition, position] and their heads at `position`; null when more than MAX_DIGEST_HEADS */
  heads: StreamHead[] | null;
  /** SHA-256 of canonical `heads`: the signature covers it, so a digest kept without its heads still verifies */
  headsHash: string;
  recordedAt: string;
  keyId: string;
  /** Ed25519 over the canonical JSON of the fields above but `heads` (base64) */
  signature: string;
}

/** What a digest kept outside the system needs: at least its position and value. */
export type DigestClaim = Pick<LedgerDigest, 'position' | 'digest'> & Partial<LedgerDigest>;

export const headsHashOf = (heads: StreamHead[] | null) =>
  createHash('sha256').update(canonicalJson(heads)).digest('hex');

function signedMessage(d: Omit<LedgerDigest, 'signature' | 'heads'>): string {
  const { position, digest, previousPosition, events, headsHash, recordedAt, keyId } = d;
  return SIGNED_PREFIX + canonicalJson({ position, digest, previousPosition, events, headsHash, recordedAt, keyId });
}

export function signDigest(
  body: Omit<LedgerDigest, 'signature' | 'keyId' | 'headsHash'>,
  signer: DigestSigner,
): LedgerDigest {
  const unsigned = { ...body, headsHash: headsHashOf(body.heads), keyId: signer.keyId };
  return { ...unsigned, signature: signer.sign(signedMessage(unsigned)) };
}

/** Checks a digest's signature, and that its heads (when present) are the ones signed. */
export function checkDigest(d: DigestClaim, keyring: Keyring): SignatureCheck | 'unsigned' {
  if (!d.signature || !d.keyId) return 'unsigned';
  if (d.heads !== undefined && headsHashOf(d.heads) !== d.headsHash) return 'invalid';
  return keyring.check(d.keyId, signedMessage(d as LedgerDigest), d.signature);
}

/** Reads a digest an auditor kept: the JSON `digest` printed, or `position:hex`. */
export function parseDigestClaim(text: string): DigestClaim {
  const trimmed = text.trim();
  const short = /^(\d+):([0-9a-f]{64})$/.exec(trimmed);
  if (short) return { position: Number(short[1]), digest: short[2] };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    throw new Error(
      'a digest is the JSON printed by `audit digest` (or a line of GET /audit/digests), or "<position>:<64 hex digits>"',
    );
  }
  const claim =
    (value as { digest?: unknown }) && typeof (value as { digest?: unknown }).digest === 'object'
      ? (value as { digest: unknown }).digest
      : value;
  const c = claim as DigestClaim;
  if (
    !c ||
    typeof c !== 'object' ||
    !Number.isSafeInteger(c.position) ||
    c.position < 0 ||
    typeof c.digest !== 'string' ||
    !/^[0-9a-f]{64}$/.test(c.digest)
  ) {
    throw new Error('a digest needs an integer "position" and a 64-hex-digit "digest"');
  }
  return c;
}

/** The digests in the audit stream, with the position of the event that carries each. */
export async function readDigests(
  source: RawEventLog,
): Promise<{ event: { position: number; revision: number }; digest: LedgerDigest | null }[]> {
  return (await source.stream(AUDIT_STREAM))
    .filter((e) => e.type === DIGEST_EVENT_TYPE)
    .map((e) => {
      let digest: LedgerDigest | null = null;
      try {
        digest = JSON.parse(e.dataJson) as LedgerDigest;
      } catch {
        digest = null;
      }
      return { event: { position: e.position, revision: e.revision }, digest };
    });
}

/** The running digest of `$all` up to the head (or `toPosition`), starting from a known one. */
export async function computeDigest(
  source: RawEventLog,
  options: {
    from?: { position: number; digest: string };
    toPosition?: number;
    onPage?: (position: number) => void;
  } = {},
): Promise<{ position: number; digest: string; events: number; heads: StreamHead[] | null }> {
  let digest = options.from?.digest ?? GENESIS_DIGEST;
  let position = options.from?.position ?? 0;
  let events = 0;
  let heads: Map<string, StreamHead> | null = new Map();
  for await (const page of pages(source, { fromPosition: position, toPosition: options.toPosition })) {
    for (const e of page) {
      digest = nextDigest(digest, e.position, e.hash);
      position = e.position;
      events++;
      if (heads) {
        heads.set(e.streamId, [e.streamId, e.revision, e.hash]);
        if (heads.size > MAX_DIGEST_HEADS) heads = null;
      }
    }
    options.onPage?.(position);
  }
  return {
    position,
    digest,
    events,
    heads: heads ? [...heads.values()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)) : null,
  };
}

/** Appending a digest was refused because the audit stream's last digest does not verify. */
export class DigestRefused extends Error {
  override readonly name = 'DigestRefused';
}

export const DIGEST_ACTOR = { id: 'system:ledger-digest', role: 'system' };

/**
 * Appends a signed digest of `$all` up to its current head to the `audit` stream, continuing from
 * the last signed digest. Idempotent across processes: the event id is derived from the position
 * and the append expects the audit stream's revision, so two processes digesting the same head
 * append one event. Answers null when nothing but digests was written since the last one.
 */
export async function appendLedgerDigest(
  store: EventStore,
  signer: DigestSigner,
  options: { now?: () => string } = {},
): Promise<LedgerDigest | null> {
  const source = rawEventLog(store);
  const own = new Keyring([signer.publicKeyPem]);
  for (let attempt = 1; ; attempt++) {
    const existing = await readDigests(source);
    const last = existing.at(-1);
    const lastDigest = last?.digest ?? null;
    // continue from our own last digest; from zero after another key's (an imported log, a new key)
    const check = lastDigest ? checkDigest(lastDigest, own) : null;
    if (last && (!lastDigest || check === 'invalid' || check === 'unsigned')) {
      // signing over a log whose last digest was forged would vouch for whatever was changed
      throw new DigestRefused(
        `the last digest in the audit stream (position ${last.event.position}) does not verify with this key; run the verification before appending digests`,
      );
    }
    const trusted = check === 'valid' ? lastDigest : null;
    const from = trusted ? { position: trusted.position, digest: trusted.digest } : undefined;
    const head = await source.head();
    if (trusted && last && head === last.event.position) return null;
    const computed = await computeDigest(source, { from, toPosition: head });
    if (computed.events === 0) return null;
    const digest = signDigest(
      {
        position: computed.position,
        digest: computed.digest,
        previousPosition: from?.position ?? 0,
        events: computed.events,
        heads: computed.heads,
        recordedAt: options.now?.() ?? new Date().toISOString(),
      },
      signer,
    );
    const id = deterministicUuid(`ledger-digest|${signer.keyId}|${computed.position}`);
    try {
      await store.append(
        AUDIT_STREAM,
        [
          {
            id,
            type: DIGEST_EVENT_TYPE,
            data: digest,
            metadata: { actor: DIGEST_ACTOR, correlationId: id, commandId: id, recordedAt: digest.recordedAt },
          },
        ],
        { expectedRevision: last ? last.event.revision : 'no_stream' },
      );
      return digest;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersion) || attempt >= 3) throw error;
      // another process appended a digest meanwhile: start again from it
    }
  }
}
