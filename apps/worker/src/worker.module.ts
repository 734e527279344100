import { DynamicModule, Module } from '@nestjs/common';
import { CONFIG, ConfigModule, DubanConfig } from '@duban/config';
import { EVENT_STORE, EventStore, EventStoreModule } from '@duban/event-store';
import { LOGGER, Logger, METRICS, Metrics, openQueues, RedisModule, ShutdownLog } from '@duban/common';
import { CommandRunner } from '@duban/application';
import { eventUpcasters } from '@duban/audit';
import { RedisPolicyCheck } from './redis-policy.check';
import { WorkerReadModel } from './read-model/worker-read-model';
import { DeadlineScheduler } from './deadlines/deadline-scheduler';
import { DeadlineProcessor } from './deadlines/deadline-processor';
import { NotificationDispatcher } from './notifications/notification-dispatcher';
import { DeliveryProcessor } from './notifications/delivery-processor';
import { ProgressRequests } from './progress/progress-requests';
import { WorkerRuntime } from './worker-runtime';
import { WorkerMetricsServer } from './worker-metrics.server';
import { COMMANDS, QUEUE_SET } from './worker-context';

@Module({})
export class WorkerModule {
  static forRoot(config: DubanConfig, logger: Logger, metrics: Metrics): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        EventStoreModule.forRoot({ ...config, upcasters: eventUpcasters }),
        RedisModule.forRoot(config.redisUrl),
      ],
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        { provide: QUEUE_SET, useFactory: (c: DubanConfig) => openQueues(c.redisUrl, c.queuePrefix), inject: [CONFIG] },
        {
          provide: COMMANDS,
          useFactory: (store: EventStore, m: Metrics) => new CommandRunner(store, m),
          inject: [EVENT_STORE, METRICS],
        },
        RedisPolicyCheck,
        ShutdownLog,
        WorkerReadModel,
        DeadlineScheduler,
        DeadlineProcessor,
        NotificationDispatcher,
        DeliveryProcessor,
        ProgressRequests,
        WorkerRuntime,
        WorkerMetricsServer,
      ],
      exports: [LOGGER, METRICS],
    };
  }
}
