import { EventEmitter } from 'node:events';
import { Client, Pool, PoolClient, QueryResult } from 'pg';
import type { EventStoreCapabilities, RawEventLog } from '../capabilities.port';
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
import { CorruptEvent, EventStoreError, WrongExpectedVersion } from '../errors';
import {
  GENESIS_HASH,
  PreparedEvent,
  assertExpectedRevision,
  eventHashFromJson,
  prepareAppend,
  revisionMatches,
} from '../envelope';
import type { UpcasterRegistry } from '../upcasters';
import type { StoredEvent } from '../verify';
import { APPEND_LOCK, COLUMNS, PlannedRow, ensureSchema } from './pg-schema';
import { asyncPollingSubscription } from './pg-subscription';
import { postgresBulkImport } from './pg-bulk-import';

export interface PostgresEventStoreOptions {
  /** postgres://user:password@host:5432/database */
  connectionString: string;
  upcasters?: UpcasterRegistry;
  /** connections in the pool (reads run beside the one write transaction in flight) */
  poolSize?: number;
  /** most appends folded into one transaction by group commit */
  maxBatch?: number;
  /** the fallback when no NOTIFY arrives: how often an idle subscription looks for new events */
  pollIntervalMs?: number;
  /** appends refused (the auditor's CLI) */
  readonly?: boolean;
}

/** The NOTIFY channel every append transaction signals on commit. */
export const EVENTS_CHANNEL = 'duban_events';

interface PendingAppend {
  streamId: string;
  events: PreparedEvent[];
  expected: ExpectedRevision;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
  result?: AppendResult;
  error?: unknown;
}

interface Row {
  position: string;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  prev_hash: string;
  hash: string;
}

/** the stream heads and the log's head, read after the lock; `streams` is a list of escaped literals */
const headsQuery = (
  streams: string,
) => `SELECT (SELECT coalesce(max(position), 0) FROM events)::float8 AS head, s.stream_id, h.revision, h.hash
  FROM unnest(ARRAY[${streams}]::text[]) AS s(stream_id)
  LEFT JOIN LATERAL (SELECT revision, hash FROM events e WHERE e.stream_id = s.stream_id ORDER BY revision DESC LIMIT 1) h ON true`;

const storedFromRow = (r: Row): StoredEvent => ({
  position: Number(r.position),
  id: r.id,
  streamId: r.stream_id,
  revision: r.revision,
  type: r.type,
  dataJson: r.data,
  metadataJson: r.metadata,
  prevHash: r.prev_hash,
  hash: r.hash,
});

/**
 * The event store on PostgreSQL (node-postgres), for several API and worker nodes on one database.
 *
 * `$all` is gapless: every append transaction takes one transaction-scoped advisory lock
 * (`APPEND_LOCK`) before it reads the head position and inserts after it, and holds it until its
 * COMMIT; PostgreSQL releases the lock only after the commit is visible, so positions become
 * visible strictly in position order and a reader never sees n+1 before n. The cost: one append
 * transaction at a time across all processes (README, "PostgreSQL event store"); group commit
 * makes each of those transactions carry every append that arrived meanwhile in this process.
 *
 * Expected revisions are checked under the same lock and enforced again by UNIQUE (stream_id,
 * revision); a trigger refuses UPDATE, DELETE and TRUNCATE. Each transaction NOTIFYs
 * `duban_events`, which wakes subscriptions in every process; polling remains the fallback.
 */
export class PostgresEventStore implements EventStore {
  readonly pool: Pool;
  /** resolves once the server was checked and the schema exists; rejects when it must not be used */
  readonly ready: Promise<void>;
  private readonly queue: PendingAppend[] = [];
  private flushScheduled = false;
  private writing: Promise<void> | null = null;
  private closed = false;
  private importing = false;
  private readonly committed = new EventEmitter();
  private readonly subscriptions = new Set<Subscription>();
  private listener?: Client;
  private listenRetry?: NodeJS.Timeout;
  private readonly maxBatch: number;
  private readonly pollIntervalMs: number;
  /** write transactions committed and appends they carried (group commit makes the second larger) */
  readonly stats = { transactions: 0, appends: 0 };
  readonly capabilities: EventStoreCapabilities;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.pool = new Pool({ connectionString: options.connectionString, max: options.poolSize ?? 8 });
    // an idle connection dropped by the server must not crash the process; the next query reconnects
    this.pool.on('error', () => undefined);
    this.maxBatch = options.maxBatch ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.committed.setMaxListeners(0);
    this.ready = this.init();
    this.ready.catch(() => undefined);
    this.capabilities = {
      rawLog: this.rawLog(),
      bulkImport: options.readonly
        ? undefined
        : postgresBulkImport(this.pool, this.ready, {
            begin: () => {
              if (this.closed) throw new EventStoreError('the event store is closed');
              if (this.importing) throw new EventStoreError('an import into this store is already in progress');
              this.importing = true;
            },
            end: (committed) => {
              this.importing = false;
              if (committed) this.committed.emit('commit');
            },
          }),
    };
  }

  private async init(): Promise<void> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
      if (rows[0].synchronous_commit === 'off')
        throw new EventStoreError(
          'PostgreSQL has synchronous_commit=off: an acknowledged append could be lost in a crash; set synchronous_commit=on (the default) for the database or role Duban uses',
        );
      const fsync = (await client.query<{ fsync: string }>('SHOW fsync')).rows[0].fsync;
      if (fsync === 'off')
        process.emitWarning('PostgreSQL runs with fsync=off: acknowledged appends do not survive a power cut');
      if (!this.options.readonly) await ensureSchema(client);
    } finally {
      client.release();
    }
  }

  append(
    streamId: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreError('the event store is closed'));
    if (this.options.readonly) return Promise.reject(new EventStoreError('the event store is open for reading only'));
    if (this.importing)
      return Promise.reject(
        new EventStoreError('an import into this store is in progress; appends are refused until it ends'),
      );
    let prepared: PreparedEvent[];
    try {
      assertExpectedRevision(options?.expectedRevision);
      prepared = prepareAppend(streamId, events);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, events: prepared, expected: options.expectedRevision, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.writing) return;
    this.flushScheduled = true;
    // setImmediate lets every request already read off the sockets enqueue its append first
    setImmediate(() => {
      this.flushScheduled = false;
      this.writing = this.flush().finally(() => {
        this.writing = null;
        if (this.queue.length) this.scheduleFlush();
      });
    });
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    try {
      await this.ready;
      await this.writeBatch(batch);
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.stats.transactions += 1;
    this.stats.appends += batch.length;
    for (const pending of batch) {
      if (pending.error !== undefined) pending.reject(pending.error);
      else pending.resolve(pending.result!);
    }
    this.committed.emit('commit');
  }

  /** One transaction for the whole batch; an append refused for its expected revision writes nothing and does not disturb the others. */
  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      // The lock is held for two round trips only: [BEGIN, lock, heads] and [INSERT, NOTIFY, COMMIT], sent as
      // simple-query strings whose values are escaped by the driver (each statement reads a fresh snapshot, so
      // the heads are read after the lock was granted).
      const literal = (v: string) => client.escapeLiteral(v);
      const streams = [...new Set(batch.map((p) => p.streamId))];
      const opened = (await client.query(
        `BEGIN; SELECT pg_advisory_xact_lock(${APPEND_LOCK}); ${headsQuery(streams.map(literal).join(','))}`,
      )) as unknown as QueryResult<{ head: number; stream_id: string; revision: number | null; hash: string }>[];
      const { rows } = opened[opened.length - 1];
      let position = rows.length ? Number(rows[0].head) : 0;
      const heads = new Map<string, { revision: number; hash: string }>();
      for (const r of rows) if (r.revision !== null) heads.set(r.stream_id, { revision: r.revision, hash: r.hash });
      const planned: PlannedRow[] = [];
      const plannedAt = new Map<string, PlannedRow>();
      for (const pending of batch) {
        pending.result = undefined;
        pending.error = undefined;
        const head = heads.get(pending.streamId);
        const actual = head ? head.revision : -1;
        if (!revisionMatches(pending.expected, actual)) {
          const retried = await this.retriedAppend(client, pending, actual, plannedAt);
          if (retried) pending.result = retried;
          else pending.error = new WrongExpectedVersion(pending.streamId, pending.expected, actual);
          continue;
        }
        let prevHash = head ? head.hash : GENESIS_HASH;
        let revision = actual;
        for (const event of pending.events) {
          revision += 1;
          position += 1;
          const content = {
            id: event.id,
            streamId: pending.streamId,
            revision,
            type: event.type,
            dataJson: event.dataJson,
            metadataJson: event.metadataJson,
          };
          const hash = eventHashFromJson(prevHash, content);
          const row = { ...content, position, prevHash, hash };
          planned.push(row);
          plannedAt.set(`${pending.streamId}\n${revision}`, row);
          prevHash = hash;
        }
        heads.set(pending.streamId, { revision, hash: prevHash });
        pending.result = { revision, position };
      }
      if (planned.length) {
        const values = planned.map(
          (r) =>
            `(${r.position}, ${literal(r.id)}, ${literal(r.streamId)}, ${r.revision}, ${literal(r.type)}, ${literal(r.dataJson)}, ${literal(r.metadataJson)}, ${literal(r.prevHash)}, ${literal(r.hash)})`,
        );
        await client.query(
          `INSERT INTO events (${COLUMNS}) VALUES ${values.join(',')}; NOTIFY ${EVENTS_CHANNEL}, '${position}'; COMMIT`,
        );
      } else await client.query('COMMIT');
    } catch (error) {
      broken = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // a connection whose transaction failed for a network reason is discarded, not reused
      client.release(broken && !(broken as { code?: string }).code ? broken : undefined);
    }
  }

  /**
   * EventStoreDB's idempotence, reproduced: the same event ids appended again at the same expected
   * revision answer the original result and write nothing.
   */
  private async retriedAppend(
    client: PoolClient,
    { streamId, events, expected }: PendingAppend,
    actual: number,
    plannedAt: Map<string, PlannedRow>,
  ): Promise<AppendResult | undefined> {
    const first =
      expected === 'no_stream' ? 0 : typeof expected === 'number' ? expected + 1 : actual - events.length + 1;
    const last = first + events.length - 1;
    if (first < 0 || last > actual) return undefined;
    const { rows } = await client.query<{ revision: number; id: string; position: string }>(
      'SELECT revision, id, position FROM events WHERE stream_id = $1 AND revision BETWEEN $2 AND $3',
      [streamId, first, last],
    );
    const stored = new Map<number, { id: string; position: number }>();
    for (const r of rows) stored.set(r.revision, { id: r.id, position: Number(r.position) });
    let position = 0;
    for (let i = 0; i < events.length; i++) {
      const at = stored.get(first + i) ?? plannedAt.get(`${streamId}\n${first + i}`);
      if (!at || at.id !== events[i].id) return undefined;
      position = at.position;
    }
    return { revision: last, position };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    await this.ready;
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const { rows } =
      options.direction === 'backwards'
        ? await this.pool.query<Row>(
            `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision <= $2::bigint ORDER BY revision DESC LIMIT $3`,
            [streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount],
          )
        : await this.pool.query<Row>(
            `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 AND revision >= $2::bigint ORDER BY revision ASC LIMIT $3`,
            [streamId, options.fromRevision ?? 0, maxCount],
          );
    return rows.map((row) => this.toEvent(row));
  }

  async readAll(options: ReadAllOptions & { raw?: boolean } = {}): Promise<RecordedEvent[]> {
    await this.ready;
    const { rows } = await this.pool.query<Row>(
      `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position ASC LIMIT $2`,
      [options.fromPosition ?? 0, options.maxCount ?? Number.MAX_SAFE_INTEGER],
    );
    return rows.map((row) => this.toEvent(row, options.raw));
  }

  private toEvent(row: Row, raw = false): RecordedEvent {
    let event: RecordedEvent;
    try {
      event = {
        id: row.id,
        streamId: row.stream_id,
        type: row.type,
        revision: row.revision,
        position: Number(row.position),
        data: JSON.parse(row.data),
        metadata: { ...JSON.parse(row.metadata), prevHash: row.prev_hash, hash: row.hash },
      };
    } catch (error) {
      throw new CorruptEvent(`event at position ${row.position} is not valid JSON: ${(error as Error).message}`);
    }
    return raw || !this.options.upcasters ? event : this.options.upcasters.upcast(event);
  }

  private rawLog(): RawEventLog {
    return {
      head: () => this.headPosition(),
      page: async (from, max) => {
        await this.ready;
        const { rows } = await this.pool.query<Row>(
          `SELECT ${COLUMNS} FROM events WHERE position > $1 ORDER BY position LIMIT $2`,
          [from, max],
        );
        return rows.map(storedFromRow);
      },
      stream: async (streamId) => {
        await this.ready;
        const { rows } = await this.pool.query<Row>(
          `SELECT ${COLUMNS} FROM events WHERE stream_id = $1 ORDER BY revision`,
          [streamId],
        );
        return rows.map(storedFromRow);
      },
    };
  }

  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    this.listen();
    const subscription = asyncPollingSubscription({
      fromPosition: options.fromPosition ?? 0,
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: this.pollIntervalMs,
      head: () => this.headPosition(),
      read: (from, max) => this.readAll({ fromPosition: from, maxCount: max }),
      onCommit: (wake) => {
        this.committed.on('commit', wake);
        return () => this.committed.off('commit', wake);
      },
      handler,
    });
    this.subscriptions.add(subscription);
    subscription.done.catch(() => undefined).finally(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  /** One LISTEN connection per store, opened with the first subscription; it reconnects after a failure. */
  private listen(): void {
    if (this.listener || this.closed) return;
    const client = new Client({ connectionString: this.options.connectionString });
    this.listener = client;
    const fail = () => {
      if (this.listener !== client) return;
      this.listener = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      // missed notifications are covered by polling; wake everyone once the channel is back
      this.listenRetry = setTimeout(() => {
        this.listen();
        this.committed.emit('commit');
      }, 1000);
      this.listenRetry.unref();
    };
    client.on('notification', () => this.committed.emit('commit'));
    client.on('error', fail);
    client.on('end', fail);
    client
      .connect()
      .then(() => client.query(`LISTEN ${EVENTS_CHANNEL}`))
      .catch(fail);
  }

  async streamInfo(streamId: string): Promise<StreamInfo> {
    await this.ready;
    const { rows } = await this.pool.query<{ revision: number }>(
      'SELECT revision FROM events WHERE stream_id = $1 ORDER BY revision DESC LIMIT 1',
      [streamId],
    );
    return rows.length ? { exists: true, revision: rows[0].revision } : { exists: false, revision: -1 };
  }

  async headPosition(): Promise<number> {
    await this.ready;
    const { rows } = await this.pool.query<{ head: string }>('SELECT coalesce(max(position), 0) AS head FROM events');
    return Number(rows[0].head);
  }

  async ping(): Promise<void> {
    await this.ready;
    if (!this.options.readonly)
      await this.pool.query(
        'INSERT INTO health_probe (id, at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET at = excluded.at',
      );
    await this.headPosition();
  }

  /** Answers pending appends, stops subscriptions and the listener, ends the pool. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.writing || this.flushScheduled || this.queue.length) {
      if (this.writing) await this.writing;
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.closed = true;
    clearTimeout(this.listenRetry);
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    const listener = this.listener;
    this.listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.pool.end();
  }
}
