import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { CONFIG, DubanConfig } from '@duban/config';
import { METRICS, Metrics, openQueues, QUEUES } from '@duban/common';
import { DeadLettersController } from './dead-letters.http.controller';
import { ProgressRequestsController } from './progress-requests.http.controller';
import { API_QUEUES, QueueSet } from './queue-set';

@Injectable()
class QueueLifecycle implements OnApplicationShutdown {
  constructor(@Inject(API_QUEUES) private readonly queues: QueueSet) {}
  async onApplicationShutdown(): Promise<void> {
    await this.queues.close();
  }
}

const STATES = ['waiting', 'delayed', 'active', 'completed', 'failed'] as const;

@Global()
@Module({
  controllers: [DeadLettersController, ProgressRequestsController],
  providers: [
    {
      provide: API_QUEUES,
      inject: [CONFIG, METRICS],
      useFactory: (config: DubanConfig, metrics: Metrics) => {
        const queues = openQueues(config.redisUrl, config.queuePrefix);
        // a failed delivery is visible: dead letters and failed jobs per queue, read from Redis on scrape
        new Gauge({
          name: 'duban_queue_jobs',
          help: 'Jobs per queue and state (dead-letters: deliveries that failed every try)',
          labelNames: ['queue', 'state'],
          registers: [metrics.registry],
          async collect() {
            await Promise.all(
              Object.values(QUEUES).map(async (name) => {
                const counts = await queues[name].getJobCounts(...STATES).catch(() => null);
                if (counts) for (const state of STATES) this.set({ queue: name, state }, counts[state] ?? 0);
              }),
            );
          },
        });
        return queues;
      },
    },
    QueueLifecycle,
  ],
  exports: [API_QUEUES],
})
export class QueuesModule {}
