import { openAttachmentFiles, type AttachmentFiles } from './attachment-files';

export interface SweeperLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

interface SweeperConfig {
  dataDir: string;
  attachmentStoreUrl: string | null;
  attachmentOrphanGrace: { iso: string; ms: number };
}

/** How often the sweep runs: a quarter of the grace period, between a minute and an hour. */
export const sweepIntervalMs = (graceMs: number) => Math.min(60 * 60_000, Math.max(60_000, Math.floor(graceMs / 4)));

/**
 * The worker's periodic orphan sweep (`new OrphanSweeper(config, logger).start()`, `stop()` at shutdown): files
 * uploaded but never referenced by a command within ATTACHMENT_ORPHAN_GRACE are removed, and staged leftovers of
 * crashed uploads. The API does not run it, so replicas do not race.
 */
export class OrphanSweeper {
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private files?: AttachmentFiles;

  constructor(
    private readonly config: SweeperConfig,
    private readonly logger: SweeperLogger,
  ) {}

  start(): void {
    if (this.timer) return;
    this.files = openAttachmentFiles(this.config);
    this.timer = setInterval(() => void this.runOnce(), sweepIntervalMs(this.config.attachmentOrphanGrace.ms));
    this.timer.unref();
    void this.runOnce();
  }

  /** One sweep now (also what the timer runs); a sweep still in progress is not overlapped. */
  runOnce(): Promise<unknown> {
    this.running = this.running.then(async () => {
      if (!this.files) return;
      try {
        const { removed, staleTemporaries } = await this.files.sweepOrphans(this.config.attachmentOrphanGrace.ms);
        if (removed.length || staleTemporaries)
          this.logger.info(
            { removed: removed.length, staleTemporaries, grace: this.config.attachmentOrphanGrace.iso },
            'swept evidence files never referenced within the grace period',
          );
      } catch (error) {
        this.logger.error({ err: error }, 'the orphan sweep failed; it runs again at the next interval');
      }
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    this.files?.close();
    this.files = undefined;
  }
}
