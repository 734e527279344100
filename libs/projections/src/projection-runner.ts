import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EventStore, RecordedEvent, Subscription } from '@duban/event-store';
import type { BatchContext, Projection } from './projection';

export interface ProjectionRunnerOptions {
  store: EventStore;
  /** this process's read-model file */
  file: string;
  projections: Projection[];
  /**
   * Most events applied in one transaction (default 5,000; 10,000 into a rebuild's scratch file). Live, batches
   * are as small as what arrived; catching up, big batches let projections write a row once for many of its events.
   */
  batchSize?: number;
  /** a file nobody reads until it is finished (a rebuild's): no fsync at all */
  scratch?: boolean;
  /**
   * Live, when batches follow each other within this many ms (a steady stream of writes), wait up to that long
   * after a batch so the next one holds everything committed meanwhile: a batch's transaction costs ~2 ms of CPU
   * however few events it holds, on the event loop that answers requests. `waitFor` (minPosition) and `catchUp`
   * end the wait at once. Unset: every commit is applied as it comes.
   */
  gatherMs?: number;
  /** called after each committed batch (metrics, waiters) */
  onBatch?: (info: { position: number; events: number; lastRecordedAt: string | null }) => void;
  /** called when the subscription fails; the runner resubscribes from the stored checkpoint after `retryInMs` */
  onFailure?: (error: unknown, info: { attempt: number; retryInMs: number; position: number }) => void;
  /** called when a failed subscription applies a batch again (or is caught up) */
  onRecovered?: (info: { downMs: number; restarts: number }) => void;
  /** resubscription backoff: doubles from `firstMs` up to `maxMs` (defaults 250 ms and 15 s) */
  retry?: { firstMs: number; maxMs: number };
}

/** Whether the runner is following `$all`, as /health and the metrics report it. */
export interface ProjectionHealth {
  up: boolean;
  /** resubscriptions since the process started */
  restarts: number;
  /** failures since the subscription last worked */
  failures: number;
  lastError: string | null;
  downSince: string | null;
}

const OPTIMIZE_EVERY_MS = 10 * 60_000;
/** a rebuild's batches: twice the live ones (fewer row writes per issue), while one batch's parsed events stay a small part of the heap */
const SCRATCH_BATCH_SIZE = 10_000;

const META_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS projection_checkpoints (name TEXT PRIMARY KEY, version TEXT NOT NULL, position INTEGER NOT NULL, updated_at TEXT) WITHOUT ROWID`,
];

export class ReadModelInUseError extends Error {
  constructor(readonly file: string) {
    super(
      `${file} is open in another process (a running API?): ask that process to rebuild (POST /api/v1/admin/projections/rebuild), or stop it first`,
    );
  }
}

/**
 * Feeds projections from `$all` (never from the in-process EventBus). Each batch of events is applied
 * and every projection's checkpoint advanced in ONE SQLite transaction, so a crash neither skips nor
 * double-applies an event. The read model is disposable: `rebuild()` replays from zero into a fresh
 * file and swaps it in atomically while queries keep reading the old one.
 */
export class ProjectionRunner {
  private db: Database.Database;
  private subscription?: Subscription;
  private position = 0;
  private lastRecordedAt: string | null = null;
  private readonly waiters = new Set<{ position: number; resolve: () => void }>();
  private rebuilding?: Promise<void>;
  private optimizer?: NodeJS.Timeout;
  private retryTimer?: NodeJS.Timeout;
  private up = false;
  private restarts = 0;
  private failures = 0;
  private lastError: string | null = null;
  private downSince: number | null = null;
  private lastBatchAt = 0;
  /** ends the wait between two batches (`gatherMs`), when one is under way */
  private endGathering?: () => void;
  /** holds in force (`holdingBack`) and what their end resolves */
  private holds = 0;
  private released?: { promise: Promise<void>; resolve: () => void };

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.db = ProjectionRunner.open(options.file, options.projections, options.scratch);
    this.position = this.minCheckpoint(this.db);
  }

  /** The current read-model connection; queries must fetch it per request (a rebuild swaps it). */
  get database(): Database.Database {
    return this.db;
  }

  get checkpoint(): number {
    return this.position;
  }

  /** Whether events committed since the last batch may be waiting for the next one (`gatherMs`). */
  get gathering(): boolean {
    return this.endGathering !== undefined;
  }

  get lastEventRecordedAt(): string | null {
    return this.lastRecordedAt;
  }

  get health(): ProjectionHealth {
    return {
      up: this.up,
      restarts: this.restarts,
      failures: this.failures,
      lastError: this.lastError,
      downSince: this.downSince === null ? null : new Date(this.downSince).toISOString(),
    };
  }

  private static open(file: string, projections: Projection[], scratch = false): Database.Database {
    mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    // The read model is rebuilt from the log after any loss, so it need not fsync every batch. A
    // rebuild's scratch file is thrown away if the process dies or a batch fails (a scratch runner never
    // retries): no fsync and no journal at all, neither every page written twice through a WAL nor a batch's
    // original pages copied into memory (it turns WAL in `finishScratch`).
    db.pragma(scratch ? 'journal_mode = OFF' : 'journal_mode = WAL');
    db.pragma(scratch ? 'synchronous = OFF' : 'synchronous = NORMAL');
    // queries scan the issue rows for statistics: read them through the OS page cache, not 2 MB of SQLite's own
    // (not while rebuilding: mapped pages would count against the rebuilding process's memory)
    if (!scratch) db.pragma('mmap_size = 1073741824');
    db.pragma('busy_timeout = 5000');
    // planner statistics from a sample of each index (10,000 rows: enough to see that one status holds
    // thousands of issues where one unit holds hundreds), bounded on any size of read model
    db.pragma('analysis_limit = 10000');
    for (const sql of META_SCHEMA) db.exec(sql);
    const stored = new Map(
      (
        db.prepare('SELECT name, version FROM projection_checkpoints').all() as {
          name: string;
          version: string | number;
        }[]
      ).map((r) => [r.name, String(r.version)]),
    );
    if (projections.some((p) => stored.has(p.name) && stored.get(p.name) !== String(p.version))) {
      // a changed projection invalidates the whole file (tables, rows and checkpoints): start over from the log
      db.close();
      ProjectionRunner.remove(file);
      return ProjectionRunner.open(file, projections, scratch);
    }
    db.transaction(() => {
      for (const p of projections) {
        for (const sql of [...p.schema, ...(scratch ? [] : (p.queryIndexes ?? []))]) db.exec(sql);
        db.prepare('INSERT OR IGNORE INTO projection_checkpoints (name, version, position) VALUES (?, ?, 0)').run(
          p.name,
          String(p.version),
        );
      }
    })();
    return db;
  }

  /** A caught-up scratch file becomes an ordinary read model: the query indexes, and WAL for concurrent readers. */
  private static finishScratch(db: Database.Database, projections: Projection[]): void {
    for (const p of projections) for (const sql of p.queryIndexes ?? []) db.exec(sql);
    // statistics for the query planner (e.g. one unit's issues before a status that matches thousands)
    db.exec('ANALYZE');
    db.pragma('journal_mode = WAL');
  }

  /** deletes a read-model file with its WAL and shared-memory files */
  static remove(file: string): void {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }

  private minCheckpoint(db: Database.Database): number {
    const row = db.prepare('SELECT MIN(position) AS position FROM projection_checkpoints').get() as {
      position: number | null;
    };
    return row.position ?? 0;
  }

  /**
   * Starts following `$all` from the stored checkpoint; resolves once caught up, or once the first attempt
   * failed: a supervised runner (any but a rebuild's scratch) then resubscribes in the background.
   */
  async start(): Promise<void> {
    await this.subscribe();
    if (this.options.scratch) return;
    this.optimize();
    // a read model that grew since keeps its planner statistics current
    this.optimizer ??= setInterval(() => this.optimize(), OPTIMIZE_EVERY_MS).unref();
  }

  private async subscribe(): Promise<void> {
    let subscription: Subscription;
    try {
      subscription = this.follow(this.db, this.position, (position, recordedAt) => {
        this.position = position;
        this.lastRecordedAt = recordedAt ?? this.lastRecordedAt;
        this.markUp();
        this.release();
      });
    } catch (error) {
      if (this.options.scratch) throw error;
      return this.failed(error);
    }
    this.subscription = subscription;
    let ended = false;
    if (!this.options.scratch) {
      // a subscription ends only when stopped on purpose (`unfollow` forgets it first); anything else is a failure
      subscription.done.then(
        () => ((ended = true), this.ended(subscription, new Error('the subscription to $all ended'))),
        (error) => ((ended = true), this.ended(subscription, error)),
      );
    }
    await subscription.caughtUp;
    if (!ended && this.subscription === subscription) this.markUp();
  }

  private markUp(): void {
    if (this.up) return;
    const downMs = this.downSince === null ? 0 : Date.now() - this.downSince;
    const recovered = this.downSince !== null;
    this.up = true;
    this.failures = 0;
    this.downSince = null;
    if (recovered) this.options.onRecovered?.({ downMs, restarts: this.restarts });
  }

  private ended(subscription: Subscription, error: unknown): void {
    if (this.subscription !== subscription) return;
    this.subscription = undefined;
    this.failed(error);
  }

  /** Marks the runner down and resubscribes from the stored checkpoint after a capped exponential backoff. */
  private failed(error: unknown): void {
    const { firstMs, maxMs } = this.options.retry ?? { firstMs: 250, maxMs: 15_000 };
    this.up = false;
    this.failures += 1;
    this.downSince ??= Date.now();
    // not `instanceof Error`: a native module's errors may come from another realm (jest's, a worker's)
    const message = (error as { message?: unknown } | null)?.message;
    this.lastError = typeof message === 'string' ? message : String(error);
    const retryInMs = Math.min(maxMs, firstMs * 2 ** Math.min(this.failures - 1, 30));
    this.options.onFailure?.(error, { attempt: this.failures, retryInMs, position: this.position });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.restarts += 1;
      try {
        // the batch that failed was rolled back: the stored checkpoint is where to resume
        this.position = this.minCheckpoint(this.db);
      } catch (readError) {
        return this.failed(readError);
      }
      void this.subscribe();
    }, retryInMs);
  }

  /** Stops following on purpose: no resubscription. */
  private async unfollow(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const subscription = this.subscription;
    this.subscription = undefined;
    this.up = false;
    this.endGathering?.();
    await subscription?.stop();
  }

  private optimize(): void {
    if (this.db.open) this.db.pragma('optimize = 0x10002');
  }

  private follow(
    db: Database.Database,
    from: number,
    advanced: (position: number, recordedAt: string | null) => void,
  ): Subscription {
    const checkpoints = new Map<string, number>(
      (
        db.prepare('SELECT name, position FROM projection_checkpoints').all() as { name: string; position: number }[]
      ).map((r) => [r.name, r.position]),
    );
    const save = db.prepare('UPDATE projection_checkpoints SET position = ?, updated_at = ? WHERE name = ?');
    const context: BatchContext = { scratch: this.options.scratch ?? false };
    const batchSize = this.options.batchSize ?? (this.options.scratch ? SCRATCH_BATCH_SIZE : 5_000);
    const applyBatch = db.transaction((events: RecordedEvent[]) => {
      const last = events[events.length - 1];
      for (const projection of this.options.projections) {
        const done = checkpoints.get(projection.name) ?? 0;
        for (const event of events) {
          if (event.position > done && projection.handles.has(event.type)) projection.apply(db, event);
        }
        projection.flush?.(db, context);
        if (last.position > done) save.run(last.position, last.metadata.recordedAt, projection.name);
      }
    });
    return this.options.store.subscribeToAll({ fromPosition: from, batchSize }, async (events) => {
      if (this.released) await this.released.promise;
      try {
        applyBatch(events);
      } catch (error) {
        for (const p of this.options.projections) p.discard?.(db);
        throw error;
      }
      const last = events[events.length - 1].position;
      for (const p of this.options.projections) checkpoints.set(p.name, Math.max(checkpoints.get(p.name) ?? 0, last));
      advanced(last, events[events.length - 1].metadata.recordedAt);
      this.options.onBatch?.({
        position: last,
        events: events.length,
        lastRecordedAt: events[events.length - 1].metadata.recordedAt,
      });
      // a full batch is a catch-up: the next one is already there
      if (events.length < batchSize) return this.gather();
    });
  }

  /** After a live batch that followed the previous one within `gatherMs`: wait for more (see `gatherMs`). */
  private gather(): Promise<void> | undefined {
    const gatherMs = this.options.gatherMs;
    const now = Date.now();
    const steady = gatherMs !== undefined && !this.options.scratch && now - this.lastBatchAt < gatherMs;
    this.lastBatchAt = now;
    if (!steady || this.waiters.size > 0) return undefined;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.endGathering?.(), gatherMs);
      this.endGathering = () => {
        clearTimeout(timer);
        this.endGathering = undefined;
        resolve();
      };
    });
  }

  /** Applies everything committed so far before answering (a read that must see the writes answered before it). */
  async catchUp(timeoutMs: number): Promise<boolean> {
    if (!this.gathering) return true;
    return this.waitFor(await this.options.store.headPosition(), timeoutMs);
  }

  /**
   * Runs `work` while the live batches wait: they are applied once every hold has ended. A burst of time-critical
   * appends (the worker's due deadline steps) is then not slowed by folding each of its own events in between; the
   * read model catches up after, in bigger batches. A hold must be short: `waitFor` waits through it.
   */
  async holdingBack<T>(work: () => Promise<T>): Promise<T> {
    if (this.holds++ === 0) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.released = { promise, resolve };
    }
    try {
      return await work();
    } finally {
      if (--this.holds === 0) {
        this.released?.resolve();
        this.released = undefined;
      }
    }
  }

  /** Resolves when the read model has applied everything up to `position`; false after the timeout (if any). */
  waitFor(position: number, timeoutMs?: number): Promise<boolean> {
    if (this.position >= position) return Promise.resolve(true);
    this.endGathering?.();
    return new Promise((resolve) => {
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              this.waiters.delete(waiter);
              resolve(false);
            }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  private release(): void {
    for (const waiter of this.waiters) {
      if (this.position >= waiter.position) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  /**
   * Blue-green rebuild: replay the whole log into `<file>.rebuild`, catch it up to the live
   * position, then pause the live subscription, swap the files with an atomic rename and resume.
   * Queries read the old file until the swap.
   */
  rebuild(): Promise<void> {
    this.rebuilding ??= this.rebuildAndSwap().finally(() => (this.rebuilding = undefined));
    return this.rebuilding;
  }

  private async rebuildAndSwap(): Promise<void> {
    const scratch = await ProjectionRunner.replayIntoScratch(this.options);
    try {
      // Stop live work on the old file, finish the new one up to the same head, then swap.
      await this.unfollow();
      await scratch.reach(await this.options.store.headPosition());
    } catch (error) {
      await scratch.closeScratch({ settle: false });
      throw error;
    }
    await scratch.closeScratch({ settle: true });
    // from here to the reopening nothing awaits: no query can see the file missing
    this.db.close();
    ProjectionRunner.swapIn(scratch.options.file, this.options.file);
    this.db = ProjectionRunner.open(this.options.file, this.options.projections);
    this.position = this.minCheckpoint(this.db);
    await this.start();
  }

  /**
   * The rebuild step both rebuilds share: replay the whole log into `<file>.rebuild` (a scratch
   * file), then give it its query indexes. The returned runner keeps following the log until closed.
   */
  private static async replayIntoScratch(options: ProjectionRunnerOptions): Promise<ProjectionRunner> {
    const next = `${options.file}.rebuild`;
    ProjectionRunner.remove(next);
    // the live runner's metrics follow the live file, not the rebuild
    const scratch = new ProjectionRunner({ ...options, file: next, scratch: true, onBatch: undefined });
    try {
      const head = await options.store.headPosition();
      await scratch.start();
      // `start` also returns when the subscription failed: a scratch file short of the head is no read model
      await scratch.reach(head);
      ProjectionRunner.finishScratch(scratch.database, options.projections);
    } catch (error) {
      await scratch.closeScratch({ settle: false });
      throw error;
    }
    return scratch;
  }

  /** Resolves once everything up to `position` is applied; rejects if the subscription failed first. */
  private async reach(position: number): Promise<void> {
    const failed = (this.subscription?.done ?? Promise.resolve()).then(() => {
      throw new Error(`the rebuild stopped before reaching position ${position}`);
    });
    await Promise.race([this.waitFor(position), failed]);
  }

  /** Stops following; a scratch file about to be swapped in (`settle`) first gets what its projections held back. */
  private async closeScratch({ settle }: { settle: boolean }): Promise<void> {
    await this.unfollow();
    if (settle) this.db.transaction(() => this.options.projections.forEach((p) => p.settle?.(this.db)))();
    if (this.db.open) this.db.pragma('wal_checkpoint(TRUNCATE)');
    await this.stop();
  }

  /** Renames a finished scratch file over the read-model file, whose connections must be closed. */
  private static swapIn(scratchFile: string, file: string): void {
    for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
    renameSync(scratchFile, file);
    for (const suffix of ['-wal', '-shm']) rmSync(scratchFile + suffix, { force: true });
  }

  async stop(): Promise<void> {
    clearInterval(this.optimizer);
    await this.rebuilding?.catch(() => undefined);
    await this.unfollow();
    if (this.db.open) this.db.close();
    for (const waiter of this.waiters) waiter.resolve();
  }

  static exists(file: string): boolean {
    return existsSync(file);
  }

  /**
   * Whether another process has the read-model file open: in WAL mode every open connection holds
   * a shared lock on it, so an exclusive lock is refused while, say, an API is running on it.
   */
  static inUse(file: string): boolean {
    if (!existsSync(file)) return false;
    const probe = new Database(file, { timeout: 0 });
    try {
      probe.pragma('locking_mode = EXCLUSIVE');
      probe.exec('BEGIN EXCLUSIVE');
      probe.exec('ROLLBACK');
      return false;
    } catch (error) {
      if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return true;
      throw error;
    } finally {
      probe.close();
    }
  }

  /**
   * Rebuilds a read-model file that no process has open (the CLI's offline rebuild): replays the
   * whole log into \`<file>.rebuild\` and renames it over the file. Refuses while the file is in use,
   * because a running process would keep reading the old file (ask it over HTTP instead).
   */
  static async rebuildFile(options: ProjectionRunnerOptions): Promise<{ position: number }> {
    const refuseInUse = () => {
      if (ProjectionRunner.inUse(options.file)) throw new ReadModelInUseError(options.file);
    };
    refuseInUse();
    const scratch = await ProjectionRunner.replayIntoScratch(options);
    await scratch.closeScratch({ settle: true });
    refuseInUse();
    ProjectionRunner.swapIn(scratch.options.file, options.file);
    return { position: scratch.checkpoint };
  }
}
