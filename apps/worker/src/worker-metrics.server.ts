import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, Server } from 'node:http';
import { CONFIG, DubanConfig } from '@duban/config';
import { LOGGER, Logger, METRICS, Metrics } from '@duban/common';
import { WorkerReadModel } from './read-model/worker-read-model';

/**
 * The worker has no API, but Prometheus must see its counters (deliveries by outcome, step lateness,
 * commands, events appended): `WORKER_METRICS_PORT` serves `/metrics` and a liveness `/health`.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server?: Server;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(METRICS) private readonly metrics: Metrics,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly readModel: WorkerReadModel,
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
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ status: 'ok', checkpoint: this.readModel.runner.checkpoint }));
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) =>
      this.server!.listen(this.config.workerMetricsPort!, this.config.host, resolve),
    );
    this.logger.info({ port: this.config.workerMetricsPort }, 'worker metrics on /metrics');
  }

  async onApplicationShutdown(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
