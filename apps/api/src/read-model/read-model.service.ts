import {
  Inject,
  Injectable,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  ServiceUnavailableException,
} from '@nestjs/common';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { CONFIG, DubanConfig } from '@duban/config';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { ProjectionRunner, READ_MODEL_FILE, readModelProjections } from '@duban/projections';
import { LOGGER, Logger, METRICS, Metrics, readModelSupervision } from '@duban/common';
import { Gauge } from 'prom-client';

/** how long a query with minPosition waits for the read model before answering 503 */
export const MIN_POSITION_WAIT_MS = 5000;
/**
 * Under a steady stream of writes the read model applies them at most every this many ms (ProjectionRunner's
 * `gatherMs`): batches of tens of events instead of a few, each batch's ~2 ms transaction shared by more
 * registrations (at ~1,000 a second a batch of ~50 blocks the loop ~13 ms). minPosition and every request but a
 * registration (`settledReads`) still see every write answered before them.
 */
export const READ_MODEL_GATHER_MS = 50;

/**
 * This process's read model: its own SQLite file fed from `$all` by the projection runner.
 * Queries take `database` per call, because a rebuild swaps the file.
 */
@Injectable()
export class ReadModelService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly runner: ProjectionRunner;
  private readonly runnerFile: string;

  constructor(
    @Inject(CONFIG) config: DubanConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(METRICS) metrics: Metrics,
    @Inject(LOGGER) logger: Logger,
  ) {
    const checkpoint = metrics.gauge('duban_projection_checkpoint', 'Last position applied to the read model');
    this.runnerFile = join(config.dataDir, READ_MODEL_FILE);
    this.runner = new ProjectionRunner({
      store,
      file: this.runnerFile,
      projections: readModelProjections(config),
      gatherMs: READ_MODEL_GATHER_MS,
      onBatch: ({ position }) => checkpoint.set(position),
      ...readModelSupervision('the read model', logger, metrics),
    });
    // lag is computed when Prometheus scrapes, against the store's head at that moment
    const lag = () => this.lag();
    new Gauge({
      name: 'duban_projection_lag_events',
      help: "Events in the log not yet applied to this process's read model",
      registers: [metrics.registry],
      async collect() {
        this.set((await lag()).events);
      },
    });
    new Gauge({
      name: 'duban_projection_lag_seconds',
      help: 'Age of the oldest event not yet applied to the read model (0 when caught up)',
      registers: [metrics.registry],
      async collect() {
        this.set((await lag()).seconds);
      },
    });
  }

  get db(): Database.Database {
    return this.runner.database;
  }

  /** the read-model file, for streams that read on a connection of their own */
  get file(): string {
    return this.runnerFile;
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  /** Read-your-writes: waits (bounded) until the read model has applied `minPosition`. */
  async ensure(minPosition: number | undefined): Promise<void> {
    if (minPosition === undefined || minPosition <= this.runner.checkpoint) return;
    if (!(await this.runner.waitFor(minPosition, MIN_POSITION_WAIT_MS))) {
      throw new ServiceUnavailableException({
        type: 'https://duban.dev/problems/service-unavailable',
        title: 'Service Unavailable',
        status: 503,
        detail: `the read model has reached position ${this.runner.checkpoint}, not yet ${minPosition}; retry shortly`,
        retryAfter: 1,
      });
    }
  }

  /**
   * A read sees every write answered before it: when the runner is gathering writes for its next batch, that
   * batch is applied first. Past the wait the read answers from what is applied (as without minPosition).
   */
  async settle(): Promise<void> {
    await this.runner.catchUp(MIN_POSITION_WAIT_MS);
  }

  async lag(): Promise<{ events: number; seconds: number }> {
    const head = await this.store.headPosition();
    const behind = Math.max(0, head - this.runner.checkpoint);
    if (behind === 0) return { events: 0, seconds: 0 };
    const [oldest] = await this.store.readAll({ fromPosition: this.runner.checkpoint, maxCount: 1 });
    return {
      events: behind,
      seconds: oldest ? Math.max(0, (Date.now() - Date.parse(oldest.metadata.recordedAt)) / 1000) : 0,
    };
  }
}
