import { ChainBreakReason, ChainChecker, RawEventLog, StoredEvent } from '@duban/event-store';
import { GENESIS_DIGEST, nextDigest } from './running-digest';
import { pages } from './raw-events';
import { AUDIT_STREAM, checkDigest, DigestClaim, LedgerDigest, readDigests } from './ledger-digest';
import type { Keyring } from './signing-key';
import { FileHashes, FilesReport, ReferencedFiles } from './referenced-files';

export type AuditFindingReason =
  ChainBreakReason | 'digest_mismatch' | 'digest_signature_invalid' | 'digest_unreadable' | 'digest_beyond_log';

/** A stream whose head disagrees with the one a signed digest recorded: the forgery is among its events in the interval. */
export interface DigestSuspect {
  streamId: string;
  signed: { revision: number; hash: string };
  actual: { revision: number; hash: string } | null;
  /** the stream's events inside the interval: the rewritten one is among them (exact when from = to) */
  fromRevision: number | null;
  fromPosition: number | null;
}

export interface AuditFinding {
  reason: AuditFindingReason;
  /** where it breaks: the event (chain breaks), or the earliest event it can be narrowed to (digests) */
  position: number;
  streamId?: string;
  revision?: number;
  detail: string;
  /** digests: the tampering lies in (after, upTo] */
  interval?: { after: number; upTo: number };
  suspects?: DigestSuspect[];
  digestSource?: 'audit_stream' | 'external';
}

export interface VerifyReport {
  ok: boolean;
  events: number;
  streams: number;
  /** the running digest of everything read: keep it outside to check the log later (`verify --against`) */
  digest: { position: number; digest: string };
  digests: { checked: number; matched: number; failed: number; unverifiable: number };
  keyIds: string[];
  firstBreak: AuditFinding | null;
  breaks: AuditFinding[];
  warnings: string[];
  /** the evidence files the events reference: each must exist and hash to its id (`ok` is false otherwise) */
  files?: FilesReport;
}

interface PendingDigest {
  claim: DigestClaim;
  source: 'audit_stream' | 'external';
}

/**
 * The auditor's verification, one pass over `$all` in the stored form: every stream's hash chain
 * (ChainChecker), the running digest, and each signed digest compared when the pass reaches its
 * position. Digests are read (and their signatures checked) before the pass.
 */
export class LogVerifier {
  private readonly chains: ChainChecker;
  private readonly findings: AuditFinding[] = [];
  private readonly warnings: string[] = [];
  private readonly pending: PendingDigest[] = [];
  private next = 0;
  private running = GENESIS_DIGEST;
  private lastPosition = 0;
  private lastGood = 0;
  /** each stream's first event since the last digest compared (to narrow a mismatch to a stream's events) */
  private touched = new Map<string, { position: number; revision: number }>();
  private readonly stats = { checked: 0, matched: 0, failed: 0, unverifiable: 0 };

  constructor(
    private readonly keyring: Keyring,
    private readonly maxBreaks = 100,
  ) {
    this.chains = new ChainChecker(maxBreaks);
  }

  /** Digests carried by the audit stream: only those with a valid signature are compared. */
  addStreamDigests(digests: { event: { position: number; revision: number }; digest: LedgerDigest | null }[]): void {
    for (const { event, digest } of digests) {
      const at = { position: event.position, streamId: AUDIT_STREAM, revision: event.revision };
      if (!digest) {
        this.findings.push({ ...at, reason: 'digest_unreadable', detail: 'the digest event is not valid JSON' });
        continue;
      }
      const check = checkDigest(digest, this.keyring);
      if (check === 'valid') this.pending.push({ claim: digest, source: 'audit_stream' });
      else if (check === 'invalid' || check === 'unsigned') {
        this.findings.push({
          ...at,
          reason: 'digest_signature_invalid',
          detail: `the digest of position ${digest.position} does not verify against key ${digest.keyId ?? '(none)'}: forged or altered`,
        });
      } else if (this.keyring.size > 0) {
        // someone who could append wrote a digest with a key of their own
        this.findings.push({
          ...at,
          reason: 'digest_signature_invalid',
          detail: `the digest of position ${digest.position} is signed with key ${digest.keyId}, which is not a trusted ledger key`,
        });
      } else {
        this.stats.unverifiable++;
        if (this.stats.unverifiable === 1)
          this.warnings.push(
            'no ledger public key is known here, so the digests in the audit stream cannot be checked (give one with --public-key)',
          );
      }
    }
  }

  /** A digest the auditor kept outside the system; a signed one must verify. */
  addExternalDigest(claim: DigestClaim): void {
    const check = checkDigest(claim, this.keyring);
    if (check === 'invalid') {
      this.findings.push({
        position: claim.position,
        reason: 'digest_signature_invalid',
        detail: `the digest you gave (position ${claim.position}) has a signature that does not verify`,
        digestSource: 'external',
      });
      return;
    }
    if (check === 'unknown_key')
      this.warnings.push(
        `the digest you gave is signed with key ${claim.keyId}, which is not trusted here; its value is still compared`,
      );
    this.pending.push({ claim, source: 'external' });
  }

  private sortPending(): void {
    if (this.next === 0) this.pending.sort((a, b) => a.claim.position - b.claim.position);
  }

  push(event: StoredEvent): void {
    this.sortPending();
    while (this.next < this.pending.length && this.pending[this.next].claim.position < event.position)
      this.compare(this.pending[this.next++], false);
    this.chains.check(event);
    this.running = nextDigest(this.running, event.position, event.hash);
    this.lastPosition = event.position;
    if (!this.touched.has(event.streamId))
      this.touched.set(event.streamId, { position: event.position, revision: event.revision });
  }

  /** `atEnd`: the pass has read the whole log (a digest beyond it means events were cut from the end) */
  private compare({ claim, source }: PendingDigest, atEnd: boolean): void {
    this.stats.checked++;
    const touched = this.touched;
    this.touched = new Map();
    if (atEnd && claim.position > this.lastPosition) {
      this.stats.failed++;
      this.findings.push({
        position: this.lastPosition,
        reason: 'digest_beyond_log',
        detail: `a digest covers the log up to position ${claim.position}, but the log ends at ${this.lastPosition}: events were removed from its end`,
        interval: { after: this.lastGood, upTo: claim.position },
        digestSource: source,
      });
      return;
    }
    if (claim.digest === this.running) {
      this.stats.matched++;
      this.lastGood = claim.position;
      return;
    }
    this.stats.failed++;
    if (this.stats.failed > 1) return; // every later digest differs too; the first one locates it
    const suspects: DigestSuspect[] = [];
    for (const [streamId, revision, hash] of claim.heads ?? []) {
      const actual = this.chains.heads.get(streamId) ?? null;
      if (actual && actual.revision === revision && actual.hash === hash) continue;
      const first = touched.get(streamId);
      suspects.push({
        streamId,
        signed: { revision, hash },
        actual,
        fromRevision: first?.revision ?? null,
        fromPosition: first?.position ?? null,
      });
    }
    const firstSuspect = suspects
      .filter((s) => s.fromPosition !== null)
      .sort((a, b) => a.fromPosition! - b.fromPosition!)[0];
    const where = suspects.length
      ? suspects
          .map(
            (s) =>
              `stream ${s.streamId} revisions ${s.fromRevision ?? '?'}..${s.signed.revision} (signed head hash ${s.signed.hash.slice(0, 12)}…, found ${s.actual ? `${s.actual.revision}:${s.actual.hash.slice(0, 12)}…` : 'nothing'})`,
          )
          .join('; ')
      : claim.heads === null || claim.heads === undefined
        ? 'the digest lists no stream heads, so the change lies somewhere in the interval'
        : 'every stream head the digest lists agrees, so a row was moved or inserted';
    this.findings.push({
      position: firstSuspect?.fromPosition ?? this.lastGood + 1,
      ...(firstSuspect ? { streamId: firstSuspect.streamId, revision: firstSuspect.fromRevision! } : {}),
      reason: 'digest_mismatch',
      detail: `the log up to position ${claim.position} no longer matches its signed digest (it matched up to ${this.lastGood}): ${where}`,
      interval: { after: this.lastGood, upTo: claim.position },
      suspects,
      digestSource: source,
    });
  }

  finish(): VerifyReport {
    this.sortPending();
    while (this.next < this.pending.length) this.compare(this.pending[this.next++], true);
    const chain = this.chains.report();
    // a chain break or a bad signature names its event; a digest mismatch only narrows down where:
    // the precise findings come first, each kind in log order
    const inferred = (f: AuditFinding) => f.reason === 'digest_mismatch' || f.reason === 'digest_beyond_log';
    const byPosition = (a: AuditFinding, b: AuditFinding) => a.position - b.position;
    const all: AuditFinding[] = [...chain.breaks.map((b) => ({ ...b })), ...this.findings];
    const breaks = [
      ...all.filter((f) => !inferred(f)).sort(byPosition),
      ...all.filter(inferred).sort(byPosition),
    ].slice(0, this.maxBreaks);
    return {
      ok: breaks.length === 0,
      events: chain.events,
      streams: chain.streams,
      digest: { position: this.lastPosition, digest: this.running },
      digests: { ...this.stats },
      keyIds: this.keyring.keyIds,
      firstBreak: breaks[0] ?? null,
      breaks,
      warnings: this.warnings,
    };
  }
}

export interface VerifyOptions {
  keyring: Keyring;
  against?: DigestClaim[];
  pageSize?: number;
  /** where the referenced evidence files are: given, each is checked after the pass */
  files?: FileHashes;
}

export interface VerifyProgress {
  position: number;
  head: number;
  events: number;
}

/**
 * Verifies a whole log from its stored form (any adapter's raw log),
 * yielding its progress after every page and returning the report.
 */
export async function* verifyLogSteps(
  source: RawEventLog,
  options: VerifyOptions,
): AsyncGenerator<VerifyProgress, VerifyReport> {
  const head = await source.head();
  const verifier = new LogVerifier(options.keyring);
  verifier.addStreamDigests((await readDigests(source)).filter((d) => d.event.position <= head));
  for (const claim of options.against ?? []) verifier.addExternalDigest(claim);
  let events = 0;
  const files = options.files ? new ReferencedFiles() : null;
  for await (const page of pages(source, { toPosition: head, pageSize: options.pageSize })) {
    for (const event of page) verifier.push(event);
    if (files) for (const event of page) files.note(event);
    events += page.length;
    yield { position: page[page.length - 1].position, head, events };
  }
  const report = verifier.finish();
  if (!files) return report;
  const checked = await files.check(options.files!);
  return { ...report, ok: report.ok && checked.missing.length === 0 && checked.altered.length === 0, files: checked };
}

export async function verifyLog(
  source: RawEventLog,
  options: VerifyOptions & { onProgress?: (p: VerifyProgress) => void },
): Promise<VerifyReport> {
  const steps = verifyLogSteps(source, options);
  for (;;) {
    const step = await steps.next();
    if (step.done) return step.value;
    options.onProgress?.(step.value);
  }
}
