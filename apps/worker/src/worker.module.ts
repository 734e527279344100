import { DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, DubanConfig } from '@duban/config';
import { EventStoreModule } from '@duban/event-store';
import { LOGGER, Logger, METRICS, Metrics, RedisModule, ShutdownLog } from '@duban/common';
import { RedisPolicyCheck } from './redis-policy.check';

@Module({})
export class WorkerModule {
  static forRoot(config: DubanConfig, logger: Logger, metrics: Metrics): DynamicModule {
    return {
      module: WorkerModule,
      global: true,
      imports: [ConfigModule.forRoot(config), EventStoreModule.forRoot(config), RedisModule.forRoot(config.redisUrl)],
      providers: [{ provide: LOGGER, useValue: logger }, { provide: METRICS, useValue: metrics }, RedisPolicyCheck, ShutdownLog],
      exports: [LOGGER, METRICS],
    };
  }
}
