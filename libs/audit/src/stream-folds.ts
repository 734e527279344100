import type { Decider } from '@duban/domain';
import {
  appraisalDecider,
  ballotDecider,
  deliveryDecider,
  fold,
  issueDecider,
  issueView,
  unitDecider,
  unitView,
} from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';

/** How to fold one kind of stream into its state, for history and `asOf` replays. */
export interface StreamFold {
  /** stream ids starting with this belong to the aggregate (see apps/api/src/application/streams.ts) */
  prefix: string;
  /** the state as the API shows it; `at` is the instant asked about (for derived fields such as overdue) */
  replay(events: RecordedEvent[], at: string): unknown;
}

/** Binds an aggregate's decider to its view, so each entry below keeps its own state and event types. */
function streamFold<S, C, E>(
  prefix: string,
  decider: Decider<S, C, E>,
  view: (state: S, at: string) => unknown,
): StreamFold {
  return {
    prefix,
    // the store upcasts on read, so every event has the shape the decider's evolve knows
    replay: (events, at) =>
      view(
        fold(
          decider,
          events.map((e) => ({ type: e.type, data: e.data }) as E),
        ),
        at,
      ),
  };
}

/**
 * Every aggregate the audit endpoints and the CLI can replay. An aggregate added later registers
 * here with one line, e.g. `streamFold('appraisal-', appraisalDecider, appraisalView)`.
 */
export const STREAM_FOLDS: StreamFold[] = [
  streamFold('issue-', issueDecider, (state, at) => issueView(state, at)),
  streamFold('unit-', unitDecider, (state) => unitView(state)),
  // token hashes are the campaign's business, not a replay's: shown as a count
  streamFold('appraisal-', appraisalDecider, (state) => ({ ...state, tokens: Object.keys(state.tokens).length })),
  streamFold('ballot-', ballotDecider, (state) => state),
  streamFold('delivery-', deliveryDecider, (state) => state),
];

export function foldFor(streamId: string): StreamFold | undefined {
  return STREAM_FOLDS.find((f) => streamId.startsWith(f.prefix));
}

export interface Replay {
  streamId: string;
  /** -1 when the stream did not exist at `asOf` */
  revision: number;
  asOf: string | null;
  /** null for streams with no registered fold (e.g. `audit`) */
  state: unknown;
  events: RecordedEvent[];
}

/** A stream as it stood at `asOf` (events recorded up to that instant, upcast), folded when its aggregate is known. */
export function replayStream(streamId: string, all: RecordedEvent[], asOf?: string): Replay {
  const limit = asOf ? Date.parse(asOf) : Number.POSITIVE_INFINITY;
  const events = all.filter((e) => Date.parse(e.metadata.recordedAt) <= limit);
  const folder = foldFor(streamId);
  const state = folder && events.length ? folder.replay(events, asOf ?? new Date().toISOString()) : null;
  return {
    streamId,
    revision: events.length ? events[events.length - 1].revision : -1,
    asOf: asOf ?? null,
    state,
    events,
  };
}
