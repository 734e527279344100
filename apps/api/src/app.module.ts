import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule, DubanConfig } from '@duban/config';
import { EventStoreModule } from '@duban/event-store';
import { Logger, Metrics, RedisModule } from '@duban/common';
import { ApplicationModule } from '@duban/application';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { RateLimitModule } from './http/rate-limit.module';
import { IdempotencyInterceptor } from './http/idempotency/idempotency.interceptor';
import { ReadModelService } from './read-model/read-model.service';
import { IssuesModule } from './issues/issues.module';
import { CalendarModule } from './calendar/calendar.module';
import { UnitsModule } from './units/units.module';
import { StatsModule } from './stats/stats.module';
import { AssignmentBatchesModule } from './assignment-batches/assignment-batches.module';
import { LedgersModule } from './ledgers/ledgers.module';
import { ListsModule } from './lists/lists.module';
import { InboxModule } from './inbox/inbox.module';
import { QueuesModule } from './queues/queues.module';
import { AppraisalsModule } from './appraisals/appraisals.module';
import { AuditModule } from './audit/audit.module';
import { PersonalDataAdminModule, PersonalDataModule } from './personal-data/personal-data.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { NoticesModule } from './notices/notices.module';
import { ProgrammesModule } from './programmes/programmes.module';
import { InspectionsModule } from './inspections/inspections.module';
import { PublicModule } from './public/public.module';
import { ReportRequestsModule } from './report-requests/report-requests.module';
import { AnnualReviewsModule } from './annual-reviews/annual-reviews.module';
import { ConsoleModule } from './console/console.module';
import { eventUpcasters } from '@duban/event-store';
import { HealthController } from './health/health.controller';
import { ProjectionsAdminController } from './admin/projections.http.controller';
import { MetricsController } from './metrics/metrics.controller';

@Module({})
export class AppModule {
  /** `extra` adds modules (benchmarks mount a bare endpoint beside the real ones) */
  static forRoot(
    config: DubanConfig,
    logger: Logger,
    metrics: Metrics,
    extra: DynamicModule['imports'] = [],
  ): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        ApplicationModule.forRoot(logger, metrics),
        EventStoreModule.forRoot({ ...config, upcasters: eventUpcasters }),
        RedisModule.forRoot(config.redisUrl),
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }),
        RateLimitModule.forRoot(),
        AuthModule,
        PersonalDataModule,
        PersonalDataAdminModule,
        CalendarModule,
        IssuesModule,
        UnitsModule,
        StatsModule,
        AssignmentBatchesModule,
        LedgersModule,
        ListsModule,
        InboxModule,
        QueuesModule,
        AppraisalsModule,
        AuditModule,
        AttachmentsModule,
        NoticesModule,
        ProgrammesModule,
        InspectionsModule,
        PublicModule,
        ReportRequestsModule,
        AnnualReviewsModule,
        ConsoleModule.forRoot(config),
        ...extra,
      ],
      controllers: [HealthController, MetricsController, ProjectionsAdminController],
      providers: [ReadModelService, { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }],
      exports: [ReadModelService],
    };
  }
}
