import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { CONFIG, DubanConfig } from '@duban/config';
import { Queue } from 'bullmq';
import { connectRedis, METRICS, Metrics, QueueName, QUEUES } from '@duban/common';
import { DeadLettersController } from './dead-letters.http.controller';
import { ProgressRequestsController } from './progress-requests.http.controller';
import { API_QUEUES, failFastQueue, QueueSet } from './queue-set';

/**
 * The API's queues on a connection of their own that fails fast: no retry per request and no offline
 * queue, so a request needing Redis answers 503 while it is down instead of hanging (the worker's
 * blocking connections keep retrying; the API only reads and adds).
 */
function openApiQueues(config: DubanConfig): QueueSet {
  const connection = connectRedis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false });
  // ioredis reports a lost connection as an error event: without a listener it would be an uncaught error
  connection.on('error', () => undefined);
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection, prefix: config.queuePrefix }));
  // a queue re-emits its connection's errors; unheard, an EventEmitter's 'error' would end the process
  for (const queue of queues) queue.on('error', () => undefined);
  const guarded = Object.fromEntries(queues.map((queue) => [queue.name, failFastQueue(queue, connection)])) as Record<
    QueueName,
    Queue
  >;
  return Object.assign(guarded, {
    async close() {
      await Promise.all(queues.map((queue) => queue.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  });
}

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
        const queues = openApiQueues(config);
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
