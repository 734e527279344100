import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { LOGGER, REDIS, Logger } from '@duban/common';

/** BullMQ loses jobs silently when Redis evicts keys: say so loudly at start. */
@Injectable()
export class RedisPolicyCheck implements OnApplicationBootstrap {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      const [, policy] = (await this.redis.config('GET', 'maxmemory-policy')) as [string, string];
      if (policy !== 'noeviction') {
        this.logger.warn(
          { maxmemoryPolicy: policy },
          `Redis maxmemory-policy is "${policy}", not "noeviction": BullMQ jobs may be evicted. Set maxmemory-policy noeviction.`,
        );
      }
    } catch (error) {
      // managed Redis often forbids CONFIG; the reconciler covers lost jobs either way
      this.logger.warn(
        { err: error },
        'could not read Redis maxmemory-policy (CONFIG GET refused); make sure it is noeviction',
      );
    }
  }
}
