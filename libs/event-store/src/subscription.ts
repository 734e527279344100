import type { RecordedEvent, Subscription, SubscriptionHandler } from './event-store.port';

export interface PollingSubscriptionOptions {
  fromPosition: number;
  batchSize: number;
  pollIntervalMs: number;
  head: () => number;
  read: (fromPosition: number, maxCount: number) => RecordedEvent[];
  /** registers a wake-up for in-process commits; returns the unregister function */
  onCommit: (wake: () => void) => () => void;
  handler: SubscriptionHandler;
}

/**
 * A catch-up subscription over a store whose positions become visible in commit order
 * (SQLite serialises writers, so a reader never sees position n+1 before n). Catch-up and live
 * are the same loop — "read after my checkpoint" — so there is no seam to lose or repeat an event.
 */
export function pollingSubscription(options: PollingSubscriptionOptions): Subscription {
  let position = options.fromPosition;
  let stopped = false;
  let wake: (() => void) | undefined;
  const startHead = options.head();
  let resolveCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (resolveCaughtUp = resolve));
  const unregister = options.onCommit(() => wake?.());

  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, options.pollIntervalMs);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const loop = async () => {
    if (position >= startHead) resolveCaughtUp();
    while (!stopped) {
      const events = options.read(position, options.batchSize);
      if (events.length === 0) {
        resolveCaughtUp();
        await sleep();
        continue;
      }
      await options.handler(events);
      position = events[events.length - 1].position;
      if (position >= startHead) resolveCaughtUp();
      // a synchronous handler would otherwise hold the event loop for a whole catch-up (timers,
      // HTTP requests and a rebuild's concurrent queries wait): let them run between batches
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  };

  const done = loop().finally(unregister);
  done.catch(() => resolveCaughtUp());
  return {
    caughtUp,
    get position() {
      return position;
    },
    done,
    async stop() {
      stopped = true;
      wake?.();
      await done.catch(() => undefined);
    },
  };
}
