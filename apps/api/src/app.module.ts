import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule, DubanConfig } from '@duban/config';
import { EventStoreModule } from '@duban/event-store';
import { LOGGER, Logger, METRICS, Metrics, RedisModule, ShutdownLog } from '@duban/common';
import { AuthModule } from './auth/auth.module';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';

@Module({})
export class AppModule {
  static forRoot(config: DubanConfig, logger: Logger, metrics: Metrics): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ConfigModule.forRoot(config),
        EventStoreModule.forRoot(config),
        RedisModule.forRoot(config.redisUrl),
        CqrsModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'json', logger: false }),
        AuthModule,
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        ShutdownLog,
      ],
      exports: [LOGGER, METRICS],
    };
  }
}
