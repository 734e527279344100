import { ConflictException, Inject, Injectable, PreconditionFailedException } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { METRICS, Metrics } from '@duban/common';
import { CommandRunner, ConcurrencyConflict, ExecuteOptions, ExecutionResult, StaleRevision } from '@duban/application';

export type { ExecutionMeta, ExecuteOptions, ExecutionResult, LoadedAggregate } from '@duban/application';

/** The API's command runner: the shared `CommandRunner`, its concurrency errors answered as 409 and 412. */
@Injectable()
export class CommandExecutor extends CommandRunner {
  constructor(@Inject(EVENT_STORE) store: EventStore, @Inject(METRICS) metrics: Metrics) {
    super(store, metrics);
  }

  override async execute<S, C, E extends { type: string; data: unknown }>(
    options: ExecuteOptions<S, C, E>,
  ): Promise<ExecutionResult<S, E>> {
    try {
      return await super.execute(options);
    } catch (error) {
      if (error instanceof StaleRevision) throw new PreconditionFailedException(error.message);
      if (error instanceof ConcurrencyConflict) throw new ConflictException(error.message);
      throw error;
    }
  }
}
