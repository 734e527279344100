import type { EventStore, ReadStreamOptions, RecordedEvent } from '@duban/event-store';
import { CampaignStates } from './campaign-states';

/** The campaign's stream and every read of it, as the store port sees them. */
function fakeStore() {
  const events: RecordedEvent[] = [];
  const reads: number[] = [];
  const store = {
    async readStream(_streamId: string, options?: ReadStreamOptions) {
      reads.push(options?.fromRevision ?? 0);
      return events.slice(options?.fromRevision ?? 0);
    },
  } as unknown as EventStore;
  const append = (type: string, data: object) =>
    events.push({ type, data, revision: events.length, position: events.length + 1 } as RecordedEvent);
  return { store, reads, append };
}
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('CampaignStates', () => {
  it('the ballots of one turn of the event loop share one read of the tail', async () => {
    const { store, reads, append } = fakeStore();
    append('RoundOpened', { round: 'r1' });
    const campaigns = new CampaignStates(store);
    const states = await Promise.all([campaigns.get('c'), campaigns.get('c'), campaigns.get('c')]);
    expect(reads).toEqual([0]);
    expect(states.map((s) => s.state.rounds.r1)).toEqual(['open', 'open', 'open']);
  });

  it('the next turn reads the tail again from the cached revision: a close by another process is seen', async () => {
    const { store, reads, append } = fakeStore();
    append('RoundOpened', { round: 'r1' });
    const campaigns = new CampaignStates(store);
    await campaigns.get('c');
    append('RoundClosed', { round: 'r1' });
    expect((await campaigns.get('c')).state.rounds.r1).toBe('open');
    await nextTurn();
    const { state, revision } = await campaigns.get('c');
    expect([state.rounds.r1, revision, reads]).toEqual(['closed', 1, [0, 1]]);
  });

  it('a campaign command appended here is followed by a fresh read, within the same turn', async () => {
    const { store, append } = fakeStore();
    append('RoundOpened', { round: 'r1' });
    const campaigns = new CampaignStates(store);
    expect((await campaigns.get('c')).state.rounds.r1).toBe('open');
    append('RoundClosed', { round: 'r1' });
    campaigns.changed('c');
    expect((await campaigns.get('c')).state.rounds.r1).toBe('closed');
  });
});
