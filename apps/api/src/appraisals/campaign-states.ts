import { Inject, Injectable } from '@nestjs/common';
import { AppraisalEvent, appraisalDecider, AppraisalState } from '@duban/domain';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { appraisalStream } from '../application/streams';

/**
 * Campaign states for ballots, folded incrementally: each ballot reads only the campaign events after
 * the cached revision (usually none), so 100,000 ballots do not fold 100,000 times the token batches.
 * Reading the tail on every ballot keeps it exact: a round closed by another process is seen at once.
 */
@Injectable()
export class CampaignStates {
  private readonly cache = new Map<string, { revision: number; state: AppraisalState }>();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async get(campaignId: string): Promise<{ state: AppraisalState; revision: number }> {
    const cached = this.cache.get(campaignId);
    const events = await this.store.readStream(appraisalStream(campaignId), {
      fromRevision: cached ? cached.revision + 1 : 0,
    });
    if (events.length === 0) return cached ?? { state: appraisalDecider.initialState(), revision: -1 };
    let state = cached?.state ?? appraisalDecider.initialState();
    for (const e of events) state = appraisalDecider.evolve(state, { type: e.type, data: e.data } as AppraisalEvent);
    const entry = { state, revision: events[events.length - 1].revision };
    this.cache.set(campaignId, entry);
    return entry;
  }
}
