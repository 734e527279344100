import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import IORedis, { Redis, RedisOptions } from 'ioredis';

export const REDIS = Symbol('REDIS');

/**
 * ioredis options for Duban: BullMQ needs `maxRetriesPerRequest: null` on connections that block
 * (workers); `enableOfflineQueue` stays on so a Redis restart only delays commands.
 */
export function redisOptions(extra: RedisOptions = {}): RedisOptions {
  return { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...extra };
}

export function connectRedis(url: string, extra: RedisOptions = {}): Redis {
  return new IORedis(url, redisOptions(extra));
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/**
 * The process's general-purpose Redis connection (health checks, the worker's policy check). It never
 * blocks, so it fails fast: one retry per command and a command timeout, so a Redis that is down makes
 * a caller wait seconds at most, never until Redis returns.
 */
@Global()
@Module({})
export class RedisModule {
  static forRoot(url: string): DynamicModule {
    return {
      module: RedisModule,
      providers: [
        { provide: REDIS, useFactory: () => connectRedis(url, { maxRetriesPerRequest: 1, commandTimeout: 2000 }) },
        RedisCloser,
      ],
      exports: [REDIS],
    };
  }
}
