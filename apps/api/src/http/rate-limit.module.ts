import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { RATE_LIMIT_SETTINGS, RateLimitGuard, rateLimitSettingsFromEnv, throttlerOptions } from './rate-limit';

/** Rate limits on writes (per token, per address, per anonymous ballot token), read from the environment at start. */
@Module({})
export class RateLimitModule {
  static forRoot(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    const settings = rateLimitSettingsFromEnv(env);
    return {
      module: RateLimitModule,
      imports: [ThrottlerModule.forRoot(throttlerOptions(settings))],
      providers: [
        { provide: RATE_LIMIT_SETTINGS, useValue: settings },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}
