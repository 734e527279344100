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
  decider: Decider<any, any, any>;
  /** the state as the API shows it; `at` is the instant asked about (for derived fields such as overdue) */
  view: (state: any, at: string) => unknown;
}

/**
 * Every aggregate the audit endpoints and the CLI can replay. An aggregate added later registers
 * here with one line, e.g. `{ prefix: 'appraisal-', decider: appraisalDecider, view: appraisalView }`.
 */
export const STREAM_FOLDS: StreamFold[] = [
  { prefix: 'issue-', decider: issueDecider, view: (state, at) => issueView(state, at) },
  { prefix: 'unit-', decider: unitDecider, view: (state) => unitView(state) },
  // token hashes are the campaign's business, not a replay's: shown as a count
  {
    prefix: 'appraisal-',
    decider: appraisalDecider,
    view: (state) => ({ ...state, tokens: Object.keys(state.tokens).length }),
  },
  { prefix: 'ballot-', decider: ballotDecider, view: (state) => state },
  { prefix: 'delivery-', decider: deliveryDecider, view: (state) => state },
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
  const state =
    folder && events.length
      ? folder.view(
          fold(
            folder.decider,
            events.map((e) => ({ type: e.type, data: e.data })),
          ),
          asOf ?? new Date().toISOString(),
        )
      : null;
  return {
    streamId,
    revision: events.length ? events[events.length - 1].revision : -1,
    asOf: asOf ?? null,
    state,
    events,
  };
}
