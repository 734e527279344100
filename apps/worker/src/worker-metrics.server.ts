import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { CONFIG, DubanConfig } from '@duban/config';
import type { Redis } from 'ioredis';
import { LOGGER, Logger, METRICS, Metrics, REDIS, withTimeout as withTimeoutMs } from '@duban/common';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { WorkerReadModel } from './read-model/worker-read-model';
import { WorkerRuntime } from './worker-runtime';

const PROBE_TIMEOUT_MS = 1000;

const withTimeout = <T>(promise: Promise<T>, what: string) => withTimeoutMs(promise, what, PROBE_TIMEOUT_MS);

/**
 * The worker has no API, but Prometheus must see its counters (deliveries by outcome, step lateness,
 * commands, events appended): `WORKER_METRICS_PORT` serves `/metrics` and `/health`, which answers 503 while
 * Redis does not answer, a queue's worker is not running, or the read model's subscription is down.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly readModel: WorkerReadModel,
    private readonly runtime: WorkerRuntime,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.workerMetricsPort === null) return;
    const checkpoint = this.metrics.gauge(
      'duban_worker_checkpoint',
      "Last position applied to the worker's read model",
    );
    this.server = createServer((req, res) => {
      if (req.url === '/metrics') {
        checkpoint.set(this.readModel.runner.checkpoint);
        void this.metrics.registry
          .metrics()
          .then((text) => res.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text));
      } else if (req.url === '/health') {
        void this.health().then(({ ok, body }) =>
          res
            .writeHead(ok ? 200 : 503, { 'content-type': 'application/json', ...(ok ? {} : { 'retry-after': '5' }) })
            .end(JSON.stringify(body)),
        );
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(this.config.workerMetricsPort!, this.config.host, resolve),
    );
    this.logger.info({ port: this.config.workerMetricsPort }, 'worker metrics on /metrics');
  }

  /** What the worker depends on: Redis, its queue workers, and its read model following the log. */
  async health(): Promise<{ ok: boolean; body: Record<string, unknown> }> {
    const { up, restarts, lastError, downSince } = this.readModel.runner.health;
    const checkpoint = this.readModel.runner.checkpoint;
    const head = await this.store.headPosition().catch(() => null);
    const subscription = {
      status: up ? 'up' : 'down',
      checkpoint,
      lagEvents: head === null ? null : Math.max(0, head - checkpoint),
      restarts,
      ...(up ? {} : { message: lastError ?? 'not following the log', downSince }),
    };
    const redis = await this.redisHealth();
    const workers = this.runtime.queueWorkers();
    const queuesUp = workers.length > 0 && workers.every((w) => w.running);
    const queues = { status: queuesUp ? 'up' : 'down', workers };
    const ok = up && redis.status === 'up' && queuesUp;
    return { ok, body: { status: ok ? 'ok' : 'error', checkpoint, subscription, redis, queues } };
  }

  private async redisHealth(): Promise<{ status: 'up' | 'down'; message?: string }> {
    // a connection waiting to reconnect would queue the PING until Redis returns: answer at once
    if (['reconnecting', 'close', 'end'].includes(this.redis.status))
      return { status: 'down', message: `the Redis connection is ${this.redis.status}` };
    try {
      await withTimeout(this.redis.ping(), 'Redis');
      return { status: 'up' };
    } catch (error) {
      return { status: 'down', message: (error as Error).message };
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
