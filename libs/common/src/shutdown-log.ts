import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from './logger';

/** Says when shutdown hooks have run (connections closed, in-flight work done), for operators and tests. */
@Injectable()
export class ShutdownLog implements OnApplicationShutdown {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}
  onApplicationShutdown(signal?: string): void {
    this.logger.info({ signal }, 'stopped gracefully');
  }
}
