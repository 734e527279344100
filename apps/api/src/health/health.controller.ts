import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { REDIS, withTimeout as withTimeoutMs } from '@duban/common';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { Public } from '../auth/public.decorator';
import { ApiPublic } from '../http/openapi';
import { ReadModelService } from '../read-model/read-model.service';

const PROBE_TIMEOUT_MS = 2000;

const withTimeout = <T>(promise: Promise<T>, what: string) => withTimeoutMs(promise, what, PROBE_TIMEOUT_MS);

/** Terminus's 503 as problem+json that still names what is down (and each check's details). */
function unhealthy(error: unknown): unknown {
  if (!(error instanceof ServiceUnavailableException)) return error;
  const result = error.getResponse() as { error?: Record<string, unknown> };
  const down = Object.keys(result.error ?? {});
  return new ServiceUnavailableException({
    ...result,
    type: 'https://duban.dev/problems/service-unavailable',
    title: 'Service Unavailable',
    status: 503,
    detail: `down: ${down.join(', ') || 'unknown'}`,
    retryAfter: 5,
  });
}

/**
 * Liveness and readiness in one: the event store and Redis must answer and the read model must be following
 * the log (its lag is shown).
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly readModel: ReadModelService,
  ) {}

  @Get()
  @Public()
  @ApiPublic()
  @ApiOperation({
    summary:
      'Liveness and readiness: 200 when the event store and Redis answer and the read model follows the log, 503 naming what is down',
  })
  @HealthCheck()
  async check() {
    try {
      return await this.checks();
    } catch (error) {
      throw unhealthy(error);
    }
  }

  private checks() {
    return this.health.check([
      async () => {
        const indicator = this.indicators.check('eventStore');
        try {
          await withTimeout(this.store.ping(), 'the event store');
          return indicator.up({ headPosition: await this.store.headPosition() });
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
      async () => {
        // the read model answers queries while it catches up (its lag is reported, not judged); a
        // subscription that failed and is retrying is down: queries would serve a frozen picture
        const indicator = this.indicators.check('readModel');
        const { up, restarts, lastError, downSince } = this.readModel.runner.health;
        const lag = await this.readModel.lag().catch(() => ({ events: null, seconds: null }));
        const details = {
          checkpoint: this.readModel.runner.checkpoint,
          lagEvents: lag.events,
          lagSeconds: lag.seconds,
        };
        return up
          ? indicator.up({ ...details, restarts })
          : indicator.down({ ...details, restarts, message: lastError ?? 'not following the log', downSince });
      },
      async () => {
        const indicator = this.indicators.check('redis');
        // a connection waiting to reconnect would queue the PING until Redis returns: answer at once
        if (['reconnecting', 'close', 'end'].includes(this.redis.status))
          return indicator.down({ message: `the Redis connection is ${this.redis.status}` });
        try {
          await withTimeout(this.redis.ping(), 'Redis');
          return indicator.up();
        } catch (error) {
          return indicator.down({ message: (error as Error).message });
        }
      },
    ]);
  }
}
