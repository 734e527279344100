import type { RecordedEvent, Subscription, SubscriptionHandler } from '../event-store.port';

export interface AsyncPollingSubscriptionOptions {
  fromPosition: number;
  batchSize: number;
  /** the fallback: how long an idle subscription sleeps when no notification wakes it */
  pollIntervalMs: number;
  head: () => Promise<number>;
  read: (fromPosition: number, maxCount: number) => Promise<RecordedEvent[]>;
  /** registers a wake-up (a local commit or a NOTIFY from another process); returns the unregister function */
  onCommit: (wake: () => void) => () => void;
  handler: SubscriptionHandler;
}

const READ_RETRY_MAX_MS = 5000;

/**
 * The catch-up-then-live loop of `subscription.ts`, over asynchronous reads: "read after my
 * checkpoint" is both catch-up and live, so there is no seam. It is gapless because the store makes
 * positions visible in position order (the append lock, see postgres-event-store.ts). A failed read
 * (a dropped connection, a failover) is retried with backoff; a failing handler stops it.
 */
export function asyncPollingSubscription(options: AsyncPollingSubscriptionOptions): Subscription {
  let position = options.fromPosition;
  let stopped = false;
  let wake: (() => void) | undefined;
  let resolveCaughtUp!: () => void;
  const caughtUp = new Promise<void>((resolve) => (resolveCaughtUp = resolve));
  const unregister = options.onCommit(() => wake?.());

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });

  const readWithRetry = async (): Promise<RecordedEvent[] | undefined> => {
    let delay = 50;
    for (;;) {
      try {
        return await options.read(position, options.batchSize);
      } catch (error) {
        if (stopped) return undefined;
        void error;
        await sleep(delay);
        delay = Math.min(READ_RETRY_MAX_MS, delay * 2);
        if (stopped) return undefined;
      }
    }
  };

  const loop = async () => {
    let startHead = Number.POSITIVE_INFINITY;
    for (let delay = 50; !stopped; delay = Math.min(READ_RETRY_MAX_MS, delay * 2)) {
      try {
        startHead = await options.head();
        break;
      } catch {
        await sleep(delay);
      }
    }
    if (position >= startHead) resolveCaughtUp();
    while (!stopped) {
      const events = await readWithRetry();
      if (!events || stopped) break;
      if (events.length === 0) {
        resolveCaughtUp();
        await sleep(options.pollIntervalMs);
        continue;
      }
      await options.handler(events);
      position = events[events.length - 1].position;
      if (position >= startHead) resolveCaughtUp();
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
