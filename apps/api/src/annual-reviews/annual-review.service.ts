import { Inject, Injectable } from '@nestjs/common';
import { annualReviewStream, CommandRunner, unitStream } from '@duban/application';
import { annualReviewDecider, CreateAnnualReview, InvalidCommand } from '@duban/domain';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { CommandAnswer, now } from '../application/commands';
import { actorOf } from '../application/principal-actor';
import type { Caller } from '../http/caller';

/** The year-end review's use case: the I/O is checking that named units exist; the rules are the decider's. */
@Injectable()
export class AnnualReviewService {
  constructor(
    private readonly runner: CommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  async create(data: CreateAnnualReview['data'], caller: Caller): Promise<CommandAnswer> {
    for (const [i, unitId] of (data.unitIds ?? []).entries())
      if (!(await this.store.streamInfo(unitStream(unitId))).exists)
        throw new InvalidCommand(`unitIds[${i}]`, `no unit ${unitId}`);
    const actor = actorOf(caller.principal);
    const result = await this.runner.execute({
      streamId: annualReviewStream(data.year),
      decider: annualReviewDecider,
      command: { type: 'CreateAnnualReview', data, meta: { at: now(), actor } },
      ifMatch: caller.ifMatch,
      meta: { actor },
      name: 'CreateAnnualReview',
    });
    return { id: String(data.year), revision: result.revision, position: result.position };
  }
}
