import { DynamicModule, Module } from '@nestjs/common';
import { CONFIG, ConfigModule, DubanConfig } from '@duban/config';
import { eventUpcasters, EventStoreModule } from '@duban/event-store';
import { Logger, Metrics, openQueues, RedisModule } from '@duban/common';
import { ApplicationModule } from '@duban/application';
import { RedisPolicyCheck } from './redis-policy.check';
import { WorkerReadModel } from './read-model/worker-read-model';
import { DeadlineScheduler } from './deadlines/deadline-scheduler';
import { CalendarRederivation } from './calendar/calendar-rederivation';
import { ConsequenceProcess } from './consequences/consequence-process';
import { DeadlineProcessor } from './deadlines/deadline-processor';
import { NotificationDispatcher } from './notifications/notification-dispatcher';
import { DeliveryProcessor } from './notifications/delivery-processor';
import { ProgressRequests } from './progress/progress-requests';
import { ReportRequestReminders } from './report-requests/report-request-reminders';
import { WorkerRuntime } from './worker-runtime';
import { WorkerMetricsServer } from './worker-metrics.server';
import { QUEUE_SET } from './worker-context';

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
        ApplicationModule.forRoot(logger, metrics),
      ],
      providers: [
        { provide: QUEUE_SET, useFactory: (c: DubanConfig) => openQueues(c.redisUrl, c.queuePrefix), inject: [CONFIG] },
        RedisPolicyCheck,
        WorkerReadModel,
        DeadlineScheduler,
        CalendarRederivation,
        ConsequenceProcess,
        DeadlineProcessor,
        NotificationDispatcher,
        DeliveryProcessor,
        ProgressRequests,
        ReportRequestReminders,
        WorkerRuntime,
        WorkerMetricsServer,
      ],
    };
  }
}
