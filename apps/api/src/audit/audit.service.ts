import { ConflictException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { CONFIG, DubanConfig } from '@duban/config';
import {
  CorruptEvent,
  EVENT_STORE,
  EventStore,
  RAW_EVENT_LOG,
  RawEventLog,
  RecordedEvent,
  StoredEvent,
} from '@duban/event-store';
import {
  appendLedgerDigest,
  DigestSigner,
  Keyring,
  LedgerDigest,
  loadKeyring,
  loadOrCreateSigningKey,
  Replay,
  replayStream,
  trustedPublicKeyPems,
} from '@duban/audit';
import type { Principal } from '../auth/principal';
import { redactReporter } from '../issues/issue-access';
import { PersonalDataService } from '../personal-data/personal-data.service';

/** An event as the audit endpoints show it: the whole envelope, integrity fields included. */
export interface AuditEnvelope {
  position: number;
  id: string;
  streamId: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
  /** fields withheld from this caller (a confidential reporter's identity) */
  redacted?: string[];
}

/** A confidential reporter is shown only to registrars and admins, in the audit views as everywhere. */
function redact(envelope: AuditEnvelope, principal: Principal): AuditEnvelope {
  const data = envelope.data as { reporter?: { confidential?: boolean } } | null;
  if (!data || typeof data !== 'object') return envelope;
  const shown = redactReporter(data, principal);
  return shown === data ? envelope : { ...envelope, data: shown, redacted: ['data.reporter'] };
}

/** A tampered row may not even be JSON any more: show what is stored rather than fail the whole page. */
function parseStored(json: string): { value: unknown; corrupt: boolean } {
  try {
    return { value: JSON.parse(json), corrupt: false };
  } catch {
    return { value: json, corrupt: true };
  }
}

export function envelopeOf(e: StoredEvent): AuditEnvelope & { corrupt?: string[] } {
  const data = parseStored(e.dataJson);
  const metadata = parseStored(e.metadataJson);
  const corrupt = [...(data.corrupt ? ['data'] : []), ...(metadata.corrupt ? ['metadata'] : [])];
  return {
    position: e.position,
    id: e.id,
    streamId: e.streamId,
    revision: e.revision,
    type: e.type,
    data: data.value,
    metadata: {
      ...(metadata.corrupt ? { stored: metadata.value } : (metadata.value as object)),
      prevHash: e.prevHash,
      hash: e.hash,
    },
    ...(corrupt.length ? { corrupt } : {}),
  };
}

const fromRecorded = (e: RecordedEvent): AuditEnvelope => ({
  position: e.position,
  id: e.id,
  streamId: e.streamId,
  revision: e.revision,
  type: e.type,
  data: e.data,
  metadata: { ...e.metadata },
});

/** The API's side of @duban/audit: the ledger key in DATA_DIR, the store's raw log (stored form), replays. */
@Injectable()
export class AuditService {
  readonly signer: DigestSigner;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(EVENT_STORE) readonly store: EventStore,
    @Inject(RAW_EVENT_LOG) readonly source: RawEventLog,
    private readonly personalData: PersonalDataService,
  ) {
    this.signer = loadOrCreateSigningKey(config.dataDir);
  }

  get dataDir(): string {
    return this.config.dataDir;
  }

  keyring(): Keyring {
    return loadKeyring({ dataDir: this.config.dataDir });
  }

  publicKeyPems(): string[] {
    return trustedPublicKeyPems(this.config.dataDir);
  }

  appendDigest(): Promise<LedgerDigest | null> {
    return appendLedgerDigest(this.store, this.signer);
  }

  /** A replayed state's reporter as the caller may read it (PIPL: revealed now; erased for good once erased). */
  private async shownState(streamId: string, state: unknown, principal: Principal): Promise<unknown> {
    if (!state || typeof state !== 'object') return state;
    const withReporter = state as { id?: string; reporter?: Parameters<PersonalDataService['show']>[1] };
    if (!withReporter.reporter) return redactReporter(state, principal);
    const issueId = withReporter.id ?? streamId;
    return { ...state, reporter: await this.personalData.show(issueId, withReporter.reporter, principal, 'stream') };
  }

  /** `$all` in commit order, stored form (exactly what the hashes cover). */
  async events(
    fromPosition: number,
    limit: number,
    principal: Principal,
  ): Promise<{ events: AuditEnvelope[]; nextPosition: number | null }> {
    const page = await this.source.page(fromPosition, limit);
    return {
      events: page.map((e) => redact(envelopeOf(e), principal)),
      nextPosition: page.length === limit ? page[page.length - 1].position : null,
    };
  }

  /**
   * One stream, its events read through the store (old schema versions upcast) and, for the
   * aggregates in STREAM_FOLDS, its state folded from them — as it stood at `asOf` when given.
   */
  async stream(
    streamId: string,
    principal: Principal,
    asOf?: string,
  ): Promise<Omit<Replay, 'events'> & { events: AuditEnvelope[] }> {
    let all: RecordedEvent[];
    try {
      all = await this.store.readStream(streamId);
    } catch (error) {
      if (!(error instanceof CorruptEvent)) throw error;
      throw new ConflictException(
        `stream ${streamId} cannot be replayed: ${error.message}; GET /audit/verify locates the damage`,
      );
    }
    if (all.length === 0) throw new NotFoundException(`no stream ${streamId}`);
    const replay = replayStream(streamId, all, asOf);
    if (replay.revision < 0) throw new NotFoundException(`stream ${streamId} did not exist at ${asOf}`);
    return {
      ...replay,
      state: await this.shownState(streamId, replay.state, principal),
      events: replay.events.map((e) => redact(fromRecorded(e), principal)),
    };
  }
}
