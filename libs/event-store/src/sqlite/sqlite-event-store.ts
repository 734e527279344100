import Database from 'better-sqlite3';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BulkImport, EventStoreCapabilities, StoredEventImport } from '../capabilities.port';
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
import { CorruptEvent, EventStoreError, StoreBusy, WrongExpectedVersion } from '../errors';
import {
  GENESIS_HASH,
  PreparedEvent,
  assertExpectedRevision,
  eventHashFromJson,
  prepareAppend,
  revisionMatches,
} from '../envelope';
import { UpcasterRegistry } from '../upcasters';
import { pollingSubscription } from '../subscription';
import { sqliteRawLog } from './sqlite-raw-log';

export interface SqliteEventStoreOptions {
  /** path of the SQLite file (`:memory:` is refused: an acknowledged append must be on disk) */
  file: string;
  /** `FULL` (default) fsyncs the WAL at every commit; see the README for why NORMAL is not used */
  synchronous?: 'FULL' | 'NORMAL' | 'EXTRA';
  /** most appends folded into one transaction by group commit */
  maxBatch?: number;
  /** how often an idle subscription looks for events written by another process */
  pollIntervalMs?: number;
  upcasters?: UpcasterRegistry;
  /** open for reading only (the auditor's CLI); appends are refused */
  readonly?: boolean;
  /** how long an append waits for another connection's write lock before it fails with StoreBusy (default 5 s) */
  busyGiveUpMs?: number;
}

/**
 * SQLite's own busy wait blocks the event loop, so it is kept short; longer waits for the write lock
 * happen between timers, with backoff.
 */
const BUSY_TIMEOUT_MS = 10;
/** streams whose head this store remembers (about 200 bytes each); the least recently written go first */
const MAX_REMEMBERED_HEADS = 20_000;
const BUSY_RETRY_FIRST_MS = 5;
const BUSY_RETRY_MAX_MS = 200;

function isBusy(error: unknown): boolean {
  return /^SQLITE_BUSY/.test((error as { code?: string })?.code ?? '');
}

/** the (stream, revision) index refused a row: that revision exists already */
function isTakenRevision(error: unknown): boolean {
  return (error as { code?: string })?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

interface StreamHead {
  revision: number;
  hash: string;
}

interface PendingAppend {
  streamId: string;
  events: PreparedEvent[];
  expected: ExpectedRevision;
  /** when it was enqueued: a busy store fails it after `busyGiveUpMs` */
  since: number;
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
  result?: AppendResult;
  error?: unknown;
}

/** A row of the events table, as stored. */
export interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  prev_hash: string;
  hash: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  id        TEXT    NOT NULL,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  prev_hash TEXT    NOT NULL,
  hash      TEXT    NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream_id, revision);
CREATE TABLE IF NOT EXISTS health_probe (id INTEGER PRIMARY KEY CHECK (id = 1), at TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS events_append_only_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
CREATE TRIGGER IF NOT EXISTS events_append_only_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;
`;

/**
 * The embedded event store: one SQLite file in WAL mode.
 *
 * Group commit: appends arriving while the event loop is busy are folded into one write
 * transaction (an append refused for its expected revision is refused before it writes, so it does
 * not undo the others);
 * every caller is answered only after that transaction's COMMIT returned, which with
 * `synchronous=FULL` means after the WAL was fsynced.
 */
export class SqliteEventStore implements EventStore, BulkImport {
  private readonly db: Database.Database;
  private readonly queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  private importing = false;
  private readonly committed = new EventEmitter();
  private readonly maxBatch: number;
  private readonly pollIntervalMs: number;
  private readonly busyGiveUpMs: number;
  private busyDelayMs = 0;
  private readonly upcasters?: UpcasterRegistry;
  private readonly subscriptions = new Set<Subscription>();
  /**
   * The last (revision, hash) this store committed to each stream it wrote recently, so an append
   * needs no read before its INSERT. They are forgotten whenever another connection (another process)
   * committed since this one's last transaction (`PRAGMA data_version`, read once per group commit
   * under the write lock). A stream with no remembered head is presumed new when the append expects
   * `no_stream`; the unique (stream, revision) index refuses the INSERT when it is not, whereupon the
   * head is read and the append decided again.
   */
  private readonly heads = new Map<string, StreamHead>();
  /** `PRAGMA data_version` when the heads were last known current */
  private headsDataVersion = -1;
  private readonly writeTransaction: Database.Transaction<(batch: PendingAppend[]) => Map<string, StreamHead>>;
  /** write transactions committed and appends they carried (group commit makes the second larger) */
  readonly stats = { transactions: 0, appends: 0 };

  private readonly stmt: {
    streamHead: Database.Statement<[string], { revision: number; hash: string }>;
    insertEvent: Database.Statement<unknown[]>;
    eventAt: Database.Statement<[string, number], { id: string; position: number }>;
    readForward: Database.Statement<[string, number, number], EventRow>;
    readBackward: Database.Statement<[string, number, number], EventRow>;
    readAll: Database.Statement<[number, number], EventRow>;
    head: Database.Statement<[], { position: number | null }>;
    /** changes when another connection commits */
    dataVersion: Database.Statement<[], number>;
  };

  constructor(options: SqliteEventStoreOptions) {
    if (!options.file || options.file === ':memory:')
      throw new EventStoreError('the embedded event store needs a file path');
    if (!options.readonly) mkdirSync(dirname(options.file), { recursive: true });
    this.db = new Database(options.file, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
    });
    this.maxBatch = options.maxBatch ?? 2000;
    this.pollIntervalMs = options.pollIntervalMs ?? 50;
    this.busyGiveUpMs = options.busyGiveUpMs ?? 5000;
    this.upcasters = options.upcasters;
    this.committed.setMaxListeners(0);
    this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
      this.db.exec(SCHEMA);
    }
    this.stmt = {
      streamHead: this.db.prepare(
        'SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
      ),
      insertEvent: options.readonly
        ? (undefined as never)
        : this.db.prepare(
            'INSERT INTO events (id, stream_id, revision, type, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          ),
      eventAt: this.db.prepare('SELECT id, position FROM events WHERE stream_id = ? AND revision = ?'),
      readForward: this.db.prepare(
        'SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision ASC LIMIT ?',
      ),
      readBackward: this.db.prepare(
        'SELECT * FROM events WHERE stream_id = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
      ),
      readAll: this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position ASC LIMIT ?'),
      head: this.db.prepare('SELECT MAX(position) AS position FROM events'),
      dataVersion: this.db.prepare<[], number>('PRAGMA data_version').pluck(),
    };
    this.writeTransaction = this.db.transaction(this.writeBatch);
    this.capabilities = { rawLog: sqliteRawLog(this.db), bulkImport: this };
  }

  /** raw pages for verification and export, and bulk import (an embedded file keeps any positions given) */
  readonly capabilities: EventStoreCapabilities;

  /** The underlying connection, for tests that must bypass the port. */
  get database(): Database.Database {
    return this.db;
  }

  append(
    streamId: string,
    events: EventToAppend[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new EventStoreError('the event store is closed'));
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
      this.queue.push({
        streamId,
        events: prepared,
        expected: options.expectedRevision,
        since: Date.now(),
        resolve,
        reject,
      });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate lets every request already read off the sockets enqueue its append first.
    setImmediate(() => this.flush());
  }

  /**
   * A refused append is refused before it writes anything (revision checks come first), so it
   * needs no savepoint; any other error aborts the whole transaction and every append in it.
   * Answers the heads it wrote, to be remembered once the transaction committed.
   */
  private readonly writeBatch = (batch: PendingAppend[]): Map<string, StreamHead> => {
    const dataVersion = this.stmt.dataVersion.get() as number;
    if (dataVersion !== this.headsDataVersion) {
      this.heads.clear();
      this.headsDataVersion = dataVersion;
    }
    const written = new Map<string, StreamHead>();
    for (const pending of batch) {
      try {
        pending.result = this.writeAppend(pending, written);
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion)) throw error;
        pending.error = error;
      }
    }
    return written;
  };

  private writeAppend(pending: PendingAppend, written: Map<string, StreamHead>): AppendResult {
    const { streamId, expected } = pending;
    const presumed = written.get(streamId) ?? this.heads.get(streamId);
    const presumedRevision = presumed ? presumed.revision : -1;
    if ((presumed || expected === 'no_stream') && revisionMatches(expected, presumedRevision)) {
      const result = this.insertAppend(pending, presumed, written, true);
      if (result) return result;
    }
    const head = this.stmt.streamHead.get(streamId);
    const actual = head ? head.revision : -1;
    if (!revisionMatches(expected, actual)) {
      const retried = this.retriedAppend(streamId, pending.events, expected, actual);
      if (retried) return retried;
      throw new WrongExpectedVersion(streamId, expected, actual);
    }
    return this.insertAppend(pending, head, written, false)!;
  }

  /**
   * Inserts the append's events after `head` (undefined: a new stream), hashing the chain on. When the
   * head is only presumed and turns out stale, its first row collides before anything of the append was
   * written: that answers undefined.
   */
  private insertAppend(
    { streamId, events }: PendingAppend,
    head: StreamHead | undefined,
    written: Map<string, StreamHead>,
    presumed: boolean,
  ): AppendResult | undefined {
    let prevHash = head ? head.hash : GENESIS_HASH;
    let revision = head ? head.revision : -1;
    let position = 0;
    for (let index = 0; index < events.length; index++) {
      const event = events[index];
      revision += 1;
      const hash = eventHashFromJson(prevHash, {
        id: event.id,
        streamId,
        revision,
        type: event.type,
        dataJson: event.dataJson,
        metadataJson: event.metadataJson,
      });
      let info: Database.RunResult;
      try {
        info = this.stmt.insertEvent.run(
          event.id,
          streamId,
          revision,
          event.type,
          event.dataJson,
          event.metadataJson,
          prevHash,
          hash,
        );
      } catch (error) {
        if (presumed && index === 0 && isTakenRevision(error)) return undefined;
        throw error;
      }
      position = Number(info.lastInsertRowid);
      prevHash = hash;
    }
    written.set(streamId, { revision, hash: prevHash });
    return { revision, position };
  }

  /** Remembers the heads a committed transaction wrote, forgetting the streams written longest ago. */
  private remember(written: Map<string, StreamHead>): void {
    for (const [streamId, head] of written) {
      this.heads.delete(streamId);
      this.heads.set(streamId, head);
    }
    for (const streamId of this.heads.keys()) {
      if (this.heads.size <= MAX_REMEMBERED_HEADS) break;
      this.heads.delete(streamId);
    }
  }

  /**
   * EventStoreDB's idempotence, reproduced: the same event ids appended again at the same expected
   * revision answer the original result and write nothing. The ids are looked up where the first
   * append put them (right after the expected revision), so no global id index is needed.
   */
  private retriedAppend(
    streamId: string,
    events: PreparedEvent[],
    expected: ExpectedRevision,
    actual: number,
  ): AppendResult | undefined {
    const first =
      expected === 'no_stream' ? 0 : typeof expected === 'number' ? expected + 1 : actual - events.length + 1;
    if (first < 0 || first + events.length - 1 > actual) return undefined;
    let position = 0;
    for (let i = 0; i < events.length; i++) {
      const stored = this.stmt.eventAt.get(streamId, first + i);
      if (!stored || stored.id !== events[i].id) return undefined;
      position = stored.position;
    }
    return { revision: first + events.length - 1, position };
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    try {
      // IMMEDIATE takes the write lock up front, so another process cannot make us fail mid-way.
      this.remember(this.writeTransaction.immediate(batch));
    } catch (error) {
      if (isBusy(error)) return this.retryWhenFree(batch);
      for (const pending of batch) pending.reject(error);
      if (this.queue.length) this.scheduleFlush();
      return;
    }
    this.busyDelayMs = 0;
    this.stats.transactions += 1;
    this.stats.appends += batch.length;
    for (const pending of batch) {
      if (pending.error !== undefined) pending.reject(pending.error);
      else pending.resolve(pending.result!);
    }
    if (this.queue.length) this.scheduleFlush();
    this.committed.emit('commit');
  }

  /**
   * Another connection holds the write lock: the batch goes back to the head of the queue and is tried
   * again after a growing pause (the event loop keeps running); appends that waited `busyGiveUpMs` fail.
   */
  private retryWhenFree(batch: PendingAppend[]): void {
    const now = Date.now();
    const waiting: PendingAppend[] = [];
    for (const pending of batch) {
      pending.result = undefined;
      pending.error = undefined;
      if (this.closed || now - pending.since >= this.busyGiveUpMs) pending.reject(new StoreBusy(now - pending.since));
      else waiting.push(pending);
    }
    this.queue.unshift(...waiting);
    if (this.closed || this.queue.length === 0) return;
    this.busyDelayMs = Math.min(BUSY_RETRY_MAX_MS, this.busyDelayMs ? this.busyDelayMs * 2 : BUSY_RETRY_FIRST_MS);
    this.flushScheduled = true;
    setTimeout(() => this.flush(), this.busyDelayMs);
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    return this.readStreamSync(streamId, options);
  }

  readStreamSync(streamId: string, options: ReadStreamOptions & { raw?: boolean } = {}): RecordedEvent[] {
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const rows =
      options.direction === 'backwards'
        ? this.stmt.readBackward.all(streamId, options.fromRevision ?? Number.MAX_SAFE_INTEGER, maxCount)
        : this.stmt.readForward.all(streamId, options.fromRevision ?? 0, maxCount);
    return rows.map((row) => this.toEvent(row, options.raw));
  }

  async readAll(options: ReadAllOptions & { raw?: boolean } = {}): Promise<RecordedEvent[]> {
    return this.readAllSync(options);
  }

  readAllSync(options: ReadAllOptions & { raw?: boolean } = {}): RecordedEvent[] {
    const rows = this.stmt.readAll.all(options.fromPosition ?? 0, options.maxCount ?? Number.MAX_SAFE_INTEGER);
    return rows.map((row) => this.toEvent(row, options.raw));
  }

  /**
   * Starts importing an exported log into this store, which must be empty: events keep their
   * positions and hashes, so the copy verifies against the original's digests. The import runs in
   * one transaction on a second connection, so nothing of a failed import remains and this
   * connection's readers (subscriptions) see the events only once committed; appends are refused
   * meanwhile.
   */
  beginImport(): Omit<StoredEventImport, 'commit' | 'abort'> & { commit(): void; abort(): void } {
    if (this.closed) throw new EventStoreError('the event store is closed');
    if (this.importing) throw new EventStoreError('an import into this store is already in progress');
    const conn = new Database(this.db.name);
    conn.pragma('busy_timeout = 10000');
    conn.pragma('synchronous = FULL');
    conn.exec('BEGIN IMMEDIATE');
    const end = (sql: string) => {
      try {
        if (conn.inTransaction) conn.exec(sql);
      } finally {
        conn.close();
        this.importing = false;
      }
    };
    if ((conn.prepare('SELECT COUNT(*) FROM events').pluck().get() as number) > 0) {
      end('ROLLBACK');
      throw new EventStoreError('imports are accepted only into an empty event store; this one holds events');
    }
    this.importing = true;
    const insert = conn.prepare(
      'INSERT INTO events (position, id, stream_id, revision, type, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    let position = 0;
    return {
      get position() {
        return position;
      },
      write(events) {
        for (const e of events) {
          if (!(e.position > position))
            throw new EventStoreError(`imported positions must increase: ${e.position} follows ${position}`);
          insert.run(e.position, e.id, e.streamId, e.revision, e.type, e.dataJson, e.metadataJson, e.prevHash, e.hash);
          position = e.position;
        }
      },
      commit: () => {
        end('COMMIT');
        this.committed.emit('commit');
      },
      abort: () => end('ROLLBACK'),
    };
  }

  /** Iterates `$all` in position order without holding it all in memory (verification, export, rebuilds). */
  *iterateAll(options: { fromPosition?: number; raw?: boolean } = {}): IterableIterator<RecordedEvent> {
    const stmt = this.db.prepare<[number], EventRow>('SELECT * FROM events WHERE position > ? ORDER BY position ASC');
    for (const row of stmt.iterate(options.fromPosition ?? 0)) yield this.toEvent(row, options.raw);
  }

  private toEvent(row: EventRow, raw = false): RecordedEvent {
    let event: RecordedEvent;
    try {
      // the parsed metadata is this event's own: the integrity fields are set on it rather than copied into another
      const metadata = JSON.parse(row.metadata);
      metadata.prevHash = row.prev_hash;
      metadata.hash = row.hash;
      event = {
        id: row.id,
        streamId: row.stream_id,
        type: row.type,
        revision: row.revision,
        position: row.position,
        data: JSON.parse(row.data),
        metadata,
      };
    } catch (error) {
      throw new CorruptEvent(`event at position ${row.position} is not valid JSON: ${(error as Error).message}`);
    }
    return raw || !this.upcasters ? event : this.upcasters.upcast(event);
  }

  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    const subscription = pollingSubscription({
      fromPosition: options.fromPosition ?? 0,
      batchSize: options.batchSize ?? 500,
      pollIntervalMs: this.pollIntervalMs,
      head: () => this.headPositionSync(),
      read: (from, max) => this.readAllSync({ fromPosition: from, maxCount: max }),
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

  async streamInfo(streamId: string): Promise<StreamInfo> {
    const head = this.stmt.streamHead.get(streamId);
    return head ? { exists: true, revision: head.revision } : { exists: false, revision: -1 };
  }

  async headPosition(): Promise<number> {
    return this.headPositionSync();
  }

  headPositionSync(): number {
    return this.stmt.head.get()?.position ?? 0;
  }

  async ping(): Promise<void> {
    this.db
      .prepare('INSERT INTO health_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at')
      .run(new Date().toISOString());
    this.headPositionSync();
  }

  /** Answers pending appends, stops subscriptions, closes the file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.queue.length) this.flush();
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.db.close();
  }
}
