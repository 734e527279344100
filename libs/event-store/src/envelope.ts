import * as crypto from 'node:crypto';
import type { EventMetadata, EventMetadataInput, EventToAppend, RecordedEvent } from './event-store.port';
import { InvalidAppend } from './errors';

/**
 * Hex SHA-256 of a UTF-8 string: the one-shot `crypto.hash` (Node ≥ 20.12) skips the Hash object that
 * `createHash` builds, which shows in per-event costs (two hashes per append, two per imported line).
 */
export const sha256Hex: (text: string) => string =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'hex')
    : (text) => crypto.createHash('sha256').update(text).digest('hex');

/** prevHash of a stream's first event */
export const GENESIS_HASH = '0'.repeat(64);

export const MAX_STREAM_ID_LENGTH = 200;
export const MAX_EVENT_TYPE_LENGTH = 200;
/** a single event's serialised data and metadata; 1 MB payloads must pass, runaway ones must not */
export const MAX_EVENT_BYTES = 4 * 1024 * 1024;

/**
 * Canonical JSON (RFC 8785 for the JSON this system writes): object keys sorted by code unit,
 * no whitespace, `undefined` members dropped. Numbers use JavaScript's shortest round-trip
 * form, which is what RFC 8785 prescribes. Every append and every imported event goes through it, so
 * the engine's own serialiser writes the text: of the value itself when its keys are already in order
 * (JSON parsed from canonical text: an import, a stored event), else of a copy with sorted keys. Only
 * what such a copy cannot express (integer-like keys, which objects always list first) is written by hand.
 */
export function canonicalJson(value: unknown): string {
  const ordered = value === undefined ? null : inCanonicalOrder(value);
  return ordered === UNORDERABLE ? canonicalOf(value) : JSON.stringify(ordered);
}

/** answered by `inCanonicalOrder` for a value that no object key order can make canonical */
const UNORDERABLE = Symbol('unorderable');
const INTEGER_LIKE_KEY = /^(?:0|[1-9]\d*)$/;

/**
 * The value itself when `JSON.stringify` writes it canonically, a copy with sorted keys when only the
 * key order is wrong (a Date becomes its ISO string, any other object a plain one, as `canonicalOf` reads
 * them), UNORDERABLE when a key is integer-like or `__proto__`; refuses what is not JSON as `canonicalOf` does.
 */
function inCanonicalOrder(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return checkedPrimitive(value);
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i] === undefined ? undefined : inCanonicalOrder(value[i]);
      if (item === UNORDERABLE) return UNORDERABLE;
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  if (value instanceof Date) return value.toISOString();
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let sorted = Object.getPrototypeOf(value) === Object.prototype;
  for (let i = 0; i < keys.length; i++) {
    if (isUnorderableKey(keys[i])) return UNORDERABLE;
    if (i > 0 && keys[i - 1] > keys[i]) sorted = false;
  }
  if (!sorted) keys.sort();
  let copy: Record<string, unknown> | undefined = sorted ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const member = record[keys[i]];
    const ordered = member === undefined ? undefined : inCanonicalOrder(member);
    if (ordered === UNORDERABLE) return UNORDERABLE;
    if (copy === undefined && ordered !== member) {
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j]] = record[keys[j]];
    }
    if (copy !== undefined && ordered !== undefined) copy[keys[i]] = ordered;
  }
  return copy ?? value;
}

function isUnorderableKey(key: string): boolean {
  const first = key.charCodeAt(0);
  return (first >= 48 && first <= 57 && INTEGER_LIKE_KEY.test(key)) || key === '__proto__';
}

function checkedPrimitive(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidAppend(`non-finite number ${value} is not JSON`);
      return value;
    default:
      if (value === null) return value;
      throw new InvalidAppend(`a ${typeof value} is not JSON`);
  }
}

/** the canonical text written by hand: for what `inCanonicalOrder` cannot reorder */
function canonicalOf(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(checkedPrimitive(value)) ?? 'null';
  if (Array.isArray(value)) return canonicalArray(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  return canonicalObject(value as Record<string, unknown>);
}

function canonicalArray(values: unknown[]): string {
  let out = '[';
  for (let i = 0; i < values.length; i++) out += (i ? ',' : '') + canonicalOf(values[i]);
  return `${out}]`;
}

function canonicalObject(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  for (let i = 1; i < keys.length; i++)
    if (keys[i - 1] > keys[i]) {
      keys.sort();
      break;
    }
  let out = '{';
  for (const key of keys) {
    const member = value[key];
    if (member === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${canonicalOf(member)}`;
  }
  return `${out}}`;
}

/** The part of an event the hash covers: everything but its global position and the hash fields. */
export interface HashedContent {
  id: string;
  streamId: string;
  revision: number;
  type: string;
  data: unknown;
  metadata: Omit<EventMetadata, 'prevHash' | 'hash'>;
}

export function eventHash(prevHash: string, content: HashedContent): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(content)}`);
}

/**
 * The same hash as `eventHash`, from the already canonical JSON of data and metadata: the write
 * path canonicalises each payload once. Keys in code-unit order: data, id, metadata, revision, streamId, type.
 */
export function eventHashFromJson(
  prevHash: string,
  e: { id: string; streamId: string; revision: number; type: string; dataJson: string; metadataJson: string },
): string {
  // one template, so the text hashed is built in one go rather than concatenated twice
  return sha256Hex(
    `${prevHash}\n{"data":${e.dataJson},"id":${JSON.stringify(e.id)},"metadata":${e.metadataJson},"revision":${e.revision},"streamId":${JSON.stringify(e.streamId)},"type":${JSON.stringify(e.type)}}`,
  );
}

/** Recomputes an event's hash from its stored form; used by adapters and by the auditor's verify. */
export function recomputeHash(event: RecordedEvent): string {
  const { prevHash, hash: _hash, ...rest } = event.metadata;
  return eventHash(prevHash, {
    id: event.id,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    data: event.data,
    metadata: rest,
  });
}

/**
 * A deterministic UUID (RFC 4122 layout, version 8 "custom") from a name: the same command id and
 * event index always give the same event id, which is what makes a retried append idempotent.
 */
export function deterministicUuid(name: string): string {
  const x = sha256Hex(name);
  // version nibble 8; variant bits 10 (the top two bits of byte 8)
  const variant = '89ab'[parseInt(x[16], 16) & 3];
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-8${x.slice(13, 16)}-${variant}${x.slice(17, 20)}-${x.slice(20, 32)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STREAM_ID = /^[^\s$][^\s]*$/u;

/** Refuses a stream id the store would not accept. */
function checkStreamId(streamId: unknown): asserts streamId is string {
  if (typeof streamId !== 'string' || streamId.length === 0)
    throw new InvalidAppend('streamId must be a non-empty string');
  if (streamId.length > MAX_STREAM_ID_LENGTH)
    throw new InvalidAppend(`streamId is longer than ${MAX_STREAM_ID_LENGTH} characters`);
  if (!STREAM_ID.test(streamId))
    throw new InvalidAppend('streamId must not contain whitespace nor start with "$" (reserved for system streams)');
}

/** Refuses a malformed event, naming it by `where` (`events[i]`); answers its metadata. */
function checkEvent(event: EventToAppend, where: string): EventMetadataInput {
  if (event === null || typeof event !== 'object') throw new InvalidAppend(`${where} must be an object`);
  if (typeof event.type !== 'string' || event.type.length === 0 || event.type.length > MAX_EVENT_TYPE_LENGTH) {
    throw new InvalidAppend(`${where}.type must be a non-empty string of at most ${MAX_EVENT_TYPE_LENGTH} characters`);
  }
  if (event.type.startsWith('$'))
    throw new InvalidAppend(`${where}.type must not start with "$" (reserved for system events)`);
  if (event.data === undefined) throw new InvalidAppend(`${where}.data is missing`);
  const meta = event.metadata as EventMetadataInput | undefined;
  if (!meta || typeof meta !== 'object') throw new InvalidAppend(`${where}.metadata is missing`);
  if (!meta.actor || typeof meta.actor.id !== 'string' || typeof meta.actor.role !== 'string') {
    throw new InvalidAppend(`${where}.metadata.actor must have string id and role`);
  }
  if (typeof meta.correlationId !== 'string' || meta.correlationId.length === 0) {
    throw new InvalidAppend(`${where}.metadata.correlationId must be a non-empty string`);
  }
  if (
    meta.recordedAt !== undefined &&
    (typeof meta.recordedAt !== 'string' || Number.isNaN(Date.parse(meta.recordedAt)))
  ) {
    throw new InvalidAppend(`${where}.metadata.recordedAt must be an ISO-8601 instant`);
  }
  return meta;
}

let lastInstantMs = NaN;
let lastInstant = '';

/** The clock as ISO-8601; the string is built once per millisecond, however many appends share it. */
function currentInstant(): string {
  const ms = Date.now();
  if (ms !== lastInstantMs) {
    lastInstantMs = ms;
    lastInstant = new Date(ms).toISOString();
  }
  return lastInstant;
}

/**
 * Checks an append and fills in defaults. Throws InvalidAppend with a message naming what is wrong.
 * Returns the events with ids, recordedAt and schemaVersion settled, and their canonical data.
 */
export function prepareAppend(streamId: unknown, events: unknown, now: () => string = currentInstant) {
  checkStreamId(streamId);
  if (!Array.isArray(events) || events.length === 0) throw new InvalidAppend('events must be a non-empty array');
  const seenIds = new Set<string>();
  return (events as EventToAppend[]).map((event, index) => {
    const where = `events[${index}]`;
    const meta = checkEvent(event, where);
    const id =
      event.id ??
      (meta.commandId
        ? deterministicUuid(`${meta.commandId}|${streamId}|${index}`)
        : deterministicUuid(`${streamId}|${now()}|${index}|${Math.random()}`));
    // a derived id is a UUID by construction; only a given one needs the pattern
    if (event.id !== undefined && !UUID.test(id)) throw new InvalidAppend(`${where}.id must be a UUID`);
    if (seenIds.has(id)) throw new InvalidAppend(`${where}.id repeats an id of the same append`);
    seenIds.add(id);
    const data = canonicalJson(event.data);
    // keys in canonical order, so canonicalJson serialises the object as it stands
    const metadata: Omit<EventMetadata, 'prevHash' | 'hash'> = {
      actor:
        meta.actor.name === undefined
          ? { id: meta.actor.id, role: meta.actor.role }
          : { id: meta.actor.id, name: meta.actor.name, role: meta.actor.role },
      causationId: meta.causationId ?? null,
      commandId: meta.commandId ?? null,
      correlationId: meta.correlationId,
      recordedAt: meta.recordedAt ?? now(),
      schemaVersion: meta.schemaVersion ?? 1,
    };
    const metadataJson = canonicalJson(metadata);
    if (data.length + metadataJson.length > MAX_EVENT_BYTES) {
      throw new InvalidAppend(`${where} is larger than ${MAX_EVENT_BYTES} bytes`);
    }
    return { id, type: event.type, dataJson: data, metadata, metadataJson };
  });
}

export type PreparedEvent = ReturnType<typeof prepareAppend>[number];

/** Checks an expected revision against the stream's actual one (-1 = no stream). */
export function revisionMatches(expected: unknown, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no_stream') return actual === -1;
  if (expected === 'stream_exists') return actual >= 0;
  return typeof expected === 'number' && expected === actual;
}

export function assertExpectedRevision(expected: unknown): void {
  const ok =
    expected === 'any' ||
    expected === 'no_stream' ||
    expected === 'stream_exists' ||
    (typeof expected === 'number' && Number.isInteger(expected) && expected >= 0);
  if (!ok)
    throw new InvalidAppend(
      `expectedRevision must be 'no_stream', 'any', 'stream_exists' or a non-negative integer, got ${JSON.stringify(expected)}`,
    );
}
