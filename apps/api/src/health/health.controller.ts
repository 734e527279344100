import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Redis } from 'ioredis';
import { REDIS } from '@duban/common';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { Public } from '../auth/public.decorator';
import { ApiPublic } from '../http/openapi';
import { ReadModelService } from '../read-model/read-model.service';

const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)),
        PROBE_TIMEOUT_MS,
      ).unref(),
    ),
  ]);
}

/** Liveness and readiness in one: the event store must be writable and Redis must answer; the read model's lag is shown. */
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
    summary: 'Liveness and readiness: 200 when the event store and Redis answer, 503 naming what is down',
  })
  @HealthCheck()
  check() {
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
        // the read model answers queries while it catches up; its lag is reported, not judged
        const indicator = this.indicators.check('readModel');
        const lag = await this.readModel.lag();
        return indicator.up({
          checkpoint: this.readModel.runner.checkpoint,
          lagEvents: lag.events,
          lagSeconds: lag.seconds,
        });
      },
      async () => {
        const indicator = this.indicators.check('redis');
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
