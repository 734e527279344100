import type { EventStore } from '@duban/event-store';
import { appendLedgerDigest, LedgerDigest } from './ledger-digest';
import { DigestSigner, loadOrCreateSigningKey } from './signing-key';

export interface DigestSchedulerLogger {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/**
 * Appends a signed ledger digest every AUDIT_DIGEST_INTERVAL (for the worker process:
 * `new LedgerDigestScheduler(store, config, logger).start()`, and `stop()` at shutdown).
 * Safe to run in several processes at once: a digest of the same head is appended once.
 */
export class LedgerDigestScheduler {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;
  private readonly signer: DigestSigner;

  constructor(
    private readonly store: EventStore,
    private readonly config: { dataDir: string; auditDigestInterval: { iso: string; ms: number } },
    private readonly logger: DigestSchedulerLogger,
  ) {
    this.signer = loadOrCreateSigningKey(config.dataDir);
  }

  start(): void {
    if (this.config.auditDigestInterval.ms <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.config.auditDigestInterval.ms);
    this.timer.unref();
    this.logger.info(
      { interval: this.config.auditDigestInterval.iso, keyId: this.signer.keyId },
      'ledger digests scheduled',
    );
  }

  /** One digest now (also what the timer runs); a run still in progress is not overlapped. */
  async runOnce(): Promise<LedgerDigest | null> {
    if (this.running) return null;
    const run = appendLedgerDigest(this.store, this.signer);
    this.running = run;
    try {
      const digest = await run;
      if (digest)
        this.logger.info(
          { position: digest.position, digest: digest.digest, events: digest.events },
          'ledger digest appended',
        );
      return digest;
    } catch (error) {
      this.logger.error({ err: error }, 'ledger digest failed');
      return null;
    } finally {
      this.running = undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }
}
