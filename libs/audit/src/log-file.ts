import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import {
  BulkImport,
  canonicalJson,
  ChainChecker,
  RawEventLog,
  StoredEvent,
  StoredEventImport,
} from '@duban/event-store';
import { GENESIS_DIGEST, nextDigest } from './running-digest';
import { pages } from './raw-events';
import { checkDigest, headsHashOf, LedgerDigest, signDigest } from './ledger-digest';
import { DigestSigner, Keyring } from './signing-key';

/**
 * The export format (NDJSON, one JSON object per line):
 *   1. a header      {"format":"duban-log","version":1,"exportedAt":…,"headPosition":…,"publicKeys":[PEM…]}
 *   2. every event   {"position","id","streamId","revision","type","data","metadata","prevHash","hash"} in position order
 *   3. a trailer     {"digest":{position,digest,previousPosition:0,events,heads:null,headsHash,recordedAt[,keyId,signature]}}
 * `data` and `metadata` are written byte for byte as stored (canonical JSON), so every hash can be
 * recomputed from the line; the trailer's digest is signed when the exporter holds the ledger key.
 */
export const LOG_FORMAT = 'duban-log';
export const LOG_FORMAT_VERSION = 1;
/** larger than any event can be (4 MB of data and metadata) */
const MAX_LINE_CHARS = 16 * 1024 * 1024;

export interface LogHeader {
  format: typeof LOG_FORMAT;
  version: number;
  exportedAt: string;
  headPosition: number;
  /** the public keys of the ledger digests in this log, so the importing deployment can verify them */
  publicKeys: string[];
}

export const eventLine = (e: StoredEvent) =>
  `{"position":${e.position},"id":${JSON.stringify(e.id)},"streamId":${JSON.stringify(e.streamId)},"revision":${e.revision},"type":${JSON.stringify(e.type)},"data":${e.dataJson},"metadata":${e.metadataJson},"prevHash":${JSON.stringify(e.prevHash)},"hash":${JSON.stringify(e.hash)}}\n`;

/** The whole log as NDJSON chunks (one per page: nothing but a page is held in memory). */
export async function* exportLog(
  source: RawEventLog,
  options: {
    signer?: DigestSigner | null;
    publicKeys?: string[];
    now?: () => string;
    pageSize?: number;
    onProgress?: (p: { position: number; head: number; events: number }) => void;
  } = {},
): AsyncGenerator<string> {
  const now = options.now ?? (() => new Date().toISOString());
  const head = await source.head();
  const header: LogHeader = {
    format: LOG_FORMAT,
    version: LOG_FORMAT_VERSION,
    exportedAt: now(),
    headPosition: head,
    publicKeys: options.publicKeys ?? [],
  };
  yield `${JSON.stringify(header)}\n`;
  let digest = GENESIS_DIGEST;
  let position = 0;
  let events = 0;
  for await (const page of pages(source, { toPosition: head, pageSize: options.pageSize })) {
    let chunk = '';
    for (const e of page) {
      chunk += eventLine(e);
      digest = nextDigest(digest, e.position, e.hash);
    }
    position = page[page.length - 1].position;
    events += page.length;
    options.onProgress?.({ position, head, events });
    yield chunk;
  }
  const body = { position, digest, previousPosition: 0, events, heads: null, recordedAt: now() };
  const trailer = options.signer ? signDigest(body, options.signer) : { ...body, headsHash: headsHashOf(null) };
  yield `${JSON.stringify({ digest: trailer })}\n`;
}

/** A refused import: which line, and why. */
export class ImportError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(line > 0 ? `line ${line}: ${problem}` : problem);
    this.name = 'ImportError';
  }
}

function refusePrototypeKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype')
    throw new SyntaxError(`the key "${key}" is not allowed`);
  return value;
}

/**
 * Whether a line could hold one of the keys `refusePrototypeKeys` refuses. A key is spelled out in the
 * text unless written with `\u` escapes, so a line with neither the names nor an escape is parsed
 * without the reviver, which would otherwise be called for every value of every line.
 */
function mayNamePrototypeKeys(text: string): boolean {
  return (
    text.includes('\\u') || text.includes('__proto__') || text.includes('constructor') || text.includes('prototype')
  );
}

const isString = (v: unknown, max = 1000): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isHash = (v: unknown): v is string => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export interface ImportResult {
  events: number;
  position: number;
  digest: string;
  /** whether the trailer's signature verified (false: the export was unsigned, e.g. made by the CLI) */
  signed: boolean;
  publicKeys: string[];
}

/**
 * Reads an export line by line and writes it into a store import: every event's hash and every
 * stream's chain is recomputed, positions must increase, and the running digest must equal the
 * trailer's (whose signature must verify when it carries one). Any flaw refuses the whole import.
 */
export class LogImporter {
  private lineNo = 0;
  private header: LogHeader | null = null;
  private trailer: LedgerDigest | null = null;
  private readonly chains = new ChainChecker(1);
  private digest = GENESIS_DIGEST;
  private position = 0;
  private batch: StoredEvent[] = [];

  constructor(
    private readonly sink: StoredEventImport,
    private readonly keyring = new Keyring(),
  ) {}

  line(text: string): void {
    this.lineNo++;
    if (text.trim() === '') return;
    if (this.trailer) throw new ImportError(this.lineNo, 'nothing may follow the trailer (the {"digest":…} line)');
    if (text.length > MAX_LINE_CHARS)
      throw new ImportError(this.lineNo, `a line is longer than ${MAX_LINE_CHARS} characters`);
    let value: Record<string, unknown>;
    try {
      value = mayNamePrototypeKeys(text) ? JSON.parse(text, refusePrototypeKeys) : JSON.parse(text);
    } catch (error) {
      throw new ImportError(this.lineNo, `not JSON (${(error as Error).message})`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new ImportError(this.lineNo, 'each line must be a JSON object');
    if (!this.header) return this.readHeader(value);
    if ('digest' in value && !('position' in value)) return this.readTrailer(value.digest);
    this.readEvent(value);
  }

  private readHeader(value: Record<string, unknown>): void {
    if (value.format !== LOG_FORMAT)
      throw new ImportError(this.lineNo, `the first line must be the header {"format":"${LOG_FORMAT}",…}`);
    if (value.version !== LOG_FORMAT_VERSION)
      throw new ImportError(
        this.lineNo,
        `format version ${String(value.version)} is not supported (expected ${LOG_FORMAT_VERSION})`,
      );
    const keys = value.publicKeys;
    if (!Array.isArray(keys) || !keys.every((k) => isString(k, 10_000)))
      throw new ImportError(this.lineNo, 'header.publicKeys must be an array of PEM strings');
    for (const pem of keys) {
      try {
        this.keyring.add(pem);
      } catch (error) {
        throw new ImportError(this.lineNo, `header.publicKeys holds an unusable key: ${(error as Error).message}`);
      }
    }
    this.header = value as unknown as LogHeader;
  }

  private readEvent(v: Record<string, unknown>): void {
    const bad = (field: string, what: string) => new ImportError(this.lineNo, `${field} ${what}`);
    if (!isCount(v.position) || v.position === 0) throw bad('position', 'must be a positive integer');
    if (!isString(v.id, 100)) throw bad('id', 'must be a string');
    if (!isString(v.streamId, 200)) throw bad('streamId', 'must be a non-empty string of at most 200 characters');
    if (!isCount(v.revision)) throw bad('revision', 'must be a non-negative integer');
    if (!isString(v.type, 200)) throw bad('type', 'must be a non-empty string of at most 200 characters');
    if (v.data === undefined) throw bad('data', 'is missing');
    if (!v.metadata || typeof v.metadata !== 'object' || Array.isArray(v.metadata))
      throw bad('metadata', 'must be an object');
    if (!isHash(v.prevHash)) throw bad('prevHash', 'must be 64 hex digits');
    if (!isHash(v.hash)) throw bad('hash', 'must be 64 hex digits');
    if (v.position <= this.position) throw bad('position', `${v.position} does not follow ${this.position}`);
    const event: StoredEvent = {
      position: v.position,
      id: v.id,
      streamId: v.streamId,
      revision: v.revision,
      type: v.type,
      dataJson: canonicalJson(v.data),
      metadataJson: canonicalJson(v.metadata),
      prevHash: v.prevHash,
      hash: v.hash,
    };
    if (!this.chains.check(event))
      throw new ImportError(
        this.lineNo,
        `${this.chains.breaks[0].reason}: ${this.chains.breaks[0].detail} (stream ${event.streamId} revision ${event.revision})`,
      );
    this.digest = nextDigest(this.digest, event.position, event.hash);
    this.position = event.position;
    this.batch.push(event);
    // small batches stay in the young generation, where collecting them is cheap
    if (this.batch.length >= 500) this.flush();
  }

  private flush(): void {
    if (this.batch.length) this.sink.write(this.batch);
    this.batch = [];
  }

  private readTrailer(raw: unknown): void {
    const d = raw as LedgerDigest;
    if (!d || typeof d !== 'object' || !isCount(d.position) || !isHash(d.digest) || !isCount(d.events)) {
      throw new ImportError(this.lineNo, 'the trailer must be {"digest":{"position","digest","events",…}}');
    }
    if (d.position !== this.position || d.events !== this.chains.events) {
      throw new ImportError(
        this.lineNo,
        `the trailer covers ${d.events} events up to position ${d.position}, but the file holds ${this.chains.events} up to ${this.position}: it was cut or spliced`,
      );
    }
    if (d.digest !== this.digest)
      throw new ImportError(
        this.lineNo,
        "the running digest of the events does not equal the trailer's: the file was altered",
      );
    const check = checkDigest(d, this.keyring);
    if (check === 'invalid') throw new ImportError(this.lineNo, "the trailer's signature does not verify");
    this.trailer = d;
  }

  finish(): ImportResult {
    if (!this.header) throw new ImportError(0, 'the file is empty');
    if (!this.trailer)
      throw new ImportError(this.lineNo, 'the file ends without its trailer ({"digest":…}): it was cut');
    this.flush();
    return {
      events: this.chains.events,
      position: this.position,
      digest: this.digest,
      signed: checkDigest(this.trailer, this.keyring) === 'valid',
      publicKeys: this.header.publicKeys,
    };
  }
}

/**
 * Splits a byte stream into lines, refusing a line longer than `maxChars` before buffering more of
 * it (readline would hold a newline-free upload in memory whole).
 */
export async function* boundedLines(
  input: AsyncIterable<Buffer | string>,
  maxChars = MAX_LINE_CHARS,
): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lineNo = 0;
  for await (const chunk of input) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.write(chunk));
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      lineNo++;
      yield text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      start = end + 1;
    }
    rest = text.slice(start);
    if (rest.length > maxChars) throw new ImportError(lineNo + 1, `a line is longer than ${maxChars} characters`);
  }
  rest += decoder.end();
  if (rest) yield rest;
}

/** Imports an export (a byte stream) into an empty store that can keep its positions, all or nothing. */
export async function importLog(
  input: Readable,
  store: BulkImport,
  options: { keyring?: Keyring; onProgress?: (p: { position: number; events: number }) => void } = {},
): Promise<ImportResult> {
  const sink = store.beginImport();
  try {
    const importer = new LogImporter(sink, options.keyring);
    let n = 0;
    for await (const line of boundedLines(input)) {
      importer.line(line);
      if (++n % 50_000 === 0) options.onProgress?.({ position: sink.position, events: n });
    }
    const result = importer.finish();
    await sink.commit();
    return result;
  } catch (error) {
    await sink.abort();
    throw error;
  }
}
