import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
} from '@eventstore/db-client';
import type { EventStoreCapabilities } from '../capabilities.port';
import type {
  AppendResult,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamInfo,
  SubscribeOptions,
  Subscription,
  SubscriptionHandler,
} from '../event-store.port';
import { WrongExpectedVersion } from '../errors';
import { GENESIS_HASH, assertExpectedRevision, eventHashFromJson, prepareAppend, revisionMatches } from '../envelope';
import { UpcasterRegistry } from '../upcasters';
import { storedForm } from '../verify';
import { deliverInBatches } from './esdb-batches';
import {
  EsdbRecord,
  isSystemRecord,
  positionOf,
  probeByReading,
  resumeFrom,
  revisionNumber,
  toRecorded,
} from './esdb-mapping';

export interface EsdbEventStoreOptions {
  connectionString: string;
  upcasters?: UpcasterRegistry;
}

/** appends with `any`/`stream_exists` re-read the head and retry this often when another writer races them */
const MAX_RACE_RETRIES = 5;

/**
 * The port over EventStoreDB. The hash chain lives in each event's metadata; to extend a chain the
 * adapter reads the stream's last event and appends with that exact revision, so the chain cannot
 * fork even when the caller asked for `any`.
 */
export class EsdbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly upcasters?: UpcasterRegistry;
  private readonly subscriptions = new Set<Subscription>();
  /**
   * The stored form is re-canonicalised from each event's JSON; no bulk import: EventStoreDB assigns
   * its own commit positions, so an import could not keep the positions the digests cover.
   */
  readonly capabilities: EventStoreCapabilities = {
    rawLog: {
      head: () => this.headPosition(),
      page: async (from, max) => (await this.readAll({ fromPosition: from, maxCount: max, raw: true })).map(storedForm),
      stream: async (streamId) => (await this.readStreamRaw(streamId, {})).map(storedForm),
    },
  };

  constructor(options: EsdbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.upcasters = options.upcasters;
  }

  private async last(streamId: string): Promise<{ revision: number; hash: string; position: number } | null> {
    const [event] = await this.readStreamRaw(streamId, { direction: 'backwards', maxCount: 1 });
    return event ? { revision: event.revision, hash: event.metadata.hash, position: event.position } : null;
  }

  async append(
    streamId: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    assertExpectedRevision(options?.expectedRevision);
    const prepared = prepareAppend(streamId, events);
    const expected = options.expectedRevision;
    for (let attempt = 0; ; attempt++) {
      const head = await this.last(streamId);
      const actual = head ? head.revision : -1;
      if (!revisionMatches(expected, actual)) {
        const retried = await this.retriedAppend(
          streamId,
          prepared.map((e) => e.id),
          expected,
          actual,
        );
        if (retried) return retried;
        throw new WrongExpectedVersion(streamId, expected, actual);
      }
      let prevHash = head ? head.hash : GENESIS_HASH;
      const data = prepared.map((event, i) => {
        const revision = actual + 1 + i;
        const hash = eventHashFromJson(prevHash, {
          id: event.id,
          streamId,
          revision,
          type: event.type,
          dataJson: event.dataJson,
          metadataJson: event.metadataJson,
        });
        const metadata = { ...event.metadata, prevHash, hash };
        prevHash = hash;
        return jsonEvent({ id: event.id, type: event.type, data: JSON.parse(event.dataJson), metadata });
      });
      let result: { nextExpectedRevision: bigint };
      try {
        result = await this.client.appendToStream(streamId, data, {
          expectedRevision: actual === -1 ? NO_STREAM : BigInt(actual),
        });
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          // someone appended between our read and our write: `any` and `stream_exists` try again
          if ((expected === 'any' || expected === 'stream_exists') && attempt < MAX_RACE_RETRIES) continue;
          throw new WrongExpectedVersion(streamId, expected, revisionNumber(error.actualVersion));
        }
        throw error;
      }
      // the result names our last event's revision; the head may already hold another writer's event
      return this.writtenAt(streamId, revisionNumber(result.nextExpectedRevision));
    }
  }

  /** Our own last event, read at the revision the append answered (its log position is not in the result). */
  private async writtenAt(streamId: string, revision: number): Promise<AppendResult> {
    const [event] = await this.readStreamRaw(streamId, { fromRevision: revision, maxCount: 1 });
    return { revision, position: event.position };
  }

  /** The same ids already stored right after the expected revision: answer the original result. */
  private async retriedAppend(
    streamId: string,
    ids: string[],
    expected: ExpectedRevision,
    actual: number,
  ): Promise<AppendResult | undefined> {
    const first = expected === 'no_stream' ? 0 : typeof expected === 'number' ? expected + 1 : -1;
    if (first < 0 || first + ids.length - 1 > actual) return undefined;
    const stored = await this.readStreamRaw(streamId, { fromRevision: first, maxCount: ids.length });
    if (stored.length !== ids.length || stored.some((e, i) => e.id !== ids[i])) return undefined;
    const lastStored = stored[stored.length - 1];
    return { revision: lastStored.revision, position: lastStored.position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return (await this.readStreamRaw(streamId, options)).map((e) => this.upcast(e));
  }

  private async readStreamRaw(streamId: string, options: ReadStreamOptions): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const out: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision !== undefined ? BigInt(options.fromRevision) : backwards ? END : START,
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      })) {
        if (resolved.event) out.push(toRecorded(resolved.event as unknown as EsdbRecord));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return out;
  }

  async readAll(options: ReadAllOptions & { raw?: boolean } = {}): Promise<RecordedEvent[]> {
    const from = options.fromPosition ?? 0;
    const max = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const out: RecordedEvent[] = [];
    for await (const resolved of this.client.readAll({
      fromPosition: resumeFrom(from),
      direction: FORWARDS,
      maxCount: max + 1,
    })) {
      const record = resolved.event as unknown as EsdbRecord | undefined;
      if (!record || isSystemRecord(record) || positionOf(record) <= from) continue;
      const event = toRecorded(record);
      out.push(options.raw ? event : this.upcast(event));
      if (out.length >= max) break;
    }
    return out;
  }

  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    let position = options.fromPosition ?? 0;
    let stopped = false;
    let resolveCaughtUp!: () => void;
    const caughtUp = new Promise<void>((resolve) => (resolveCaughtUp = resolve));
    const stream = this.client.subscribeToAll({ fromPosition: resumeFrom(position), filter: excludeSystemEvents() });
    // listened to at once: an 'error' emitted while the head is read below would otherwise end the process
    let streamError: unknown;
    stream.on('error', (error) => (streamError ??= error));
    stream.on('caughtUp', () => resolveCaughtUp());
    const upcast = (event: RecordedEvent) => this.upcast(event);
    async function* events(): AsyncGenerator<RecordedEvent> {
      for await (const resolved of stream) {
        if (stopped) return;
        const record = resolved.event as unknown as EsdbRecord | undefined;
        if (!record || isSystemRecord(record) || positionOf(record) <= position) continue;
        yield upcast(toRecorded(record));
      }
    }
    const done = (async () => {
      const head = await this.headPosition();
      if (streamError) throw streamError;
      if (position >= head) resolveCaughtUp();
      await deliverInBatches(
        events(),
        { max: options.batchSize ?? 500, buffered: () => stream.readableLength },
        async (batch) => {
          await handler(batch);
          position = batch[batch.length - 1].position;
          if (position >= head) resolveCaughtUp();
        },
      );
    })().finally(() => resolveCaughtUp());
    const subscription: Subscription = {
      caughtUp,
      get position() {
        return position;
      },
      done,
      async stop() {
        stopped = true;
        await stream.unsubscribe();
        await done.catch(() => undefined);
      },
    };
    this.subscriptions.add(subscription);
    done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  async streamInfo(streamId: string): Promise<StreamInfo> {
    const head = await this.last(streamId);
    return head ? { exists: true, revision: head.revision } : { exists: false, revision: -1 };
  }

  async headPosition(): Promise<number> {
    for await (const resolved of this.client.readAll({ fromPosition: END, direction: BACKWARDS, maxCount: 100 })) {
      const record = resolved.event as unknown as EsdbRecord | undefined;
      if (record && !isSystemRecord(record)) return positionOf(record);
    }
    return 0;
  }

  /** A read of the log's last record: writing a probe event would put unchained events into `$all`. */
  async ping(): Promise<void> {
    await probeByReading(this.client);
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.client.dispose();
  }

  private upcast(event: RecordedEvent): RecordedEvent {
    return this.upcasters ? this.upcasters.upcast(event) : event;
  }
}
