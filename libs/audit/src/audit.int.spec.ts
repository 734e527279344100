import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { rawEventLog, SqliteEventStore } from '@duban/event-store';
import { anEvent } from '@duban/event-store/testing/event-store.contract';
import { tempDir } from '../../../test/support/temp-dir';
import {
  appendLedgerDigest,
  AUDIT_STREAM,
  boundedLines,
  exportLog,
  importLog,
  Keyring,
  LedgerDigestScheduler,
  loadKeyring,
  loadOrCreateSigningKey,
  parseDigestClaim,
  readDigests,
  verifyLog,
} from './index';
import { changeOneByteOfData, deleteEvent, forgeAndRehash, forgeDigest, swapEvents } from './testing/tamper';

/** Appends `n` events to each stream, interleaved: a-0, b-0, a-1, b-1, … */
async function interleaved(store: SqliteEventStore, streams: string[], n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    for (const s of streams) {
      const info = await store.streamInfo(s);
      await store.append(s, [anEvent('Noted', { i, s })], {
        expectedRevision: info.exists ? info.revision : 'no_stream',
      });
    }
  }
}

const positionOf = (store: SqliteEventStore, stream: string, revision: number) =>
  store.readStreamSync(stream, { fromRevision: revision, maxCount: 1 })[0].position;

describe("the auditor's verification, digests, export and import (embedded store)", () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = tempDir('duban-audit-');
    file = join(dir.path, 'events.sqlite');
    store = new SqliteEventStore({ file });
    await interleaved(store, ['s-a', 's-b', 's-c'], 4); // positions 1..12
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  const keyring = () => loadKeyring({ dataDir: dir.path });
  /** a fresh read-only look at the file, as the CLI gets it */
  async function verifyFile(against: string[] = []) {
    const reader = new SqliteEventStore({ file, readonly: true });
    try {
      return await verifyLog(rawEventLog(reader), {
        keyring: keyring(),
        against: against.map(parseDigestClaim),
      });
    } finally {
      await reader.close();
    }
  }

  it('finds a sound log sound, and its signed digests matching', async () => {
    const signer = loadOrCreateSigningKey(dir.path);
    const first = await appendLedgerDigest(store, signer);
    expect(first).toMatchObject({ position: 12, previousPosition: 0, events: 12, keyId: signer.keyId });
    expect(first!.heads!.map((h) => h[0])).toEqual(['s-a', 's-b', 's-c']);
    await interleaved(store, ['s-a', 's-d'], 2);
    const second = await appendLedgerDigest(store, signer);
    expect(second).toMatchObject({ previousPosition: 12, position: 17, events: 5 });
    const report = await verifyFile();
    expect(report).toMatchObject({
      ok: true,
      events: 18,
      streams: 5,
      breaks: [],
      digests: { checked: 2, matched: 2, failed: 0 },
    });
    expect(report.digest.position).toBe(18);
  });

  it('appends a digest of one head once, however many processes try', async () => {
    const signer = loadOrCreateSigningKey(dir.path);
    const other = new SqliteEventStore({ file });
    const otherSigner = loadOrCreateSigningKey(dir.path);
    expect(otherSigner.keyId).toBe(signer.keyId);
    await Promise.all([
      appendLedgerDigest(store, signer),
      appendLedgerDigest(other, otherSigner),
      appendLedgerDigest(store, signer),
    ]);
    await other.close();
    const digests = await readDigests(rawEventLog(store));
    expect(digests.map((d) => d.digest!.position)).toEqual([12]);
    // nothing but the digest since: nothing to add
    expect(await appendLedgerDigest(store, signer)).toBeNull();
  });

  it('appends digests every AUDIT_DIGEST_INTERVAL from the scheduler, and only on demand when it is 0', async () => {
    const logger = { info: jest.fn(), error: jest.fn() };
    const off = new LedgerDigestScheduler(
      store,
      { dataDir: dir.path, auditDigestInterval: { iso: 'PT0S', ms: 0 } },
      logger,
    );
    off.start();
    expect(await off.runOnce()).toMatchObject({ position: 12 });
    await off.stop();
    const every = new LedgerDigestScheduler(
      store,
      { dataDir: dir.path, auditDigestInterval: { iso: 'PT0.3S', ms: 300 } },
      logger,
    );
    every.start();
    await interleaved(store, ['s-z'], 1);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await every.stop();
    const digests = await readDigests(rawEventLog(store));
    // one more digest for the new event; later ticks find nothing but digests and add none
    expect(digests.map((d) => d.digest!.position)).toEqual([12, 14]);
    expect(logger.error).not.toHaveBeenCalled();
    expect((await verifyFile()).ok).toBe(true);
  });

  it('locates one changed byte of data (hash mismatch)', async () => {
    const at = positionOf(store, 's-b', 2);
    changeOneByteOfData(file, at);
    const report = await verifyFile();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ reason: 'hash_mismatch', streamId: 's-b', revision: 2, position: at });
  });

  it('locates a deleted row (missing revision)', async () => {
    deleteEvent(file, positionOf(store, 's-c', 1));
    const report = await verifyFile();
    expect(report.firstBreak).toMatchObject({ reason: 'missing_revision', streamId: 's-c', revision: 2 });
    expect(report.firstBreak!.detail).toMatch(/revision 1 is missing/);
  });

  it('locates two swapped rows of one stream (reordered)', async () => {
    const a = positionOf(store, 's-a', 1);
    const b = positionOf(store, 's-a', 2);
    swapEvents(file, a, b);
    const report = await verifyFile();
    expect(report.firstBreak).toMatchObject({ reason: 'reordered', streamId: 's-a', revision: 2, position: a });
  });

  it('catches rows of two streams swapped (each chain intact) through the signed digest', async () => {
    await appendLedgerDigest(store, loadOrCreateSigningKey(dir.path));
    swapEvents(file, positionOf(store, 's-a', 3), positionOf(store, 's-b', 3));
    const report = await verifyFile();
    expect(report.ok).toBe(false);
    expect(report.firstBreak).toMatchObject({ reason: 'digest_mismatch', interval: { after: 0, upTo: 12 } });
  });

  it('catches a forged event whose stream was re-hashed, and narrows it to the stream and the digest interval', async () => {
    const signer = loadOrCreateSigningKey(dir.path);
    await appendLedgerDigest(store, signer); // covers 1..12
    await interleaved(store, ['s-b', 's-c'], 1); // 14 (s-b 4), 15 (s-c 4)
    await appendLedgerDigest(store, signer); // covers ..15
    await interleaved(store, ['s-a'], 1);
    const target = positionOf(store, 's-b', 4);
    forgeAndRehash(file, target, (data) => ({ ...data, i: 99 }));
    const report = await verifyFile();
    expect(report.breaks.filter((b) => b.reason !== 'digest_mismatch')).toEqual([]); // the chains look intact
    expect(report.firstBreak).toMatchObject({
      reason: 'digest_mismatch',
      streamId: 's-b',
      revision: 4,
      position: target,
      interval: { after: 12, upTo: 15 },
    });
    expect(report.firstBreak!.suspects).toEqual([
      expect.objectContaining({
        streamId: 's-b',
        fromRevision: 4,
        fromPosition: target,
        signed: expect.objectContaining({ revision: 4 }),
      }),
    ]);
    expect(report.digests).toMatchObject({ checked: 2, matched: 1, failed: 1 });
  });

  it('refuses a forged digest (its signature fails) and a digest signed by a stranger', async () => {
    const digest = await appendLedgerDigest(store, loadOrCreateSigningKey(dir.path));
    const [{ event }] = await readDigests(rawEventLog(store));
    forgeDigest(file, event.position);
    const report = await verifyFile();
    expect(report.firstBreak).toMatchObject({
      reason: 'digest_signature_invalid',
      streamId: AUDIT_STREAM,
      position: event.position,
    });
    expect(digest).not.toBeNull();
    // nothing is signed on top of a forged digest
    await expect(appendLedgerDigest(store, loadOrCreateSigningKey(dir.path))).rejects.toThrow(
      /does not verify with this key/,
    );
    // a digest signed with another key is refused too when the ledger's key is known …
    const stranger = loadOrCreateSigningKey(join(dir.path, 'stranger'));
    expect(await appendLedgerDigest(store, stranger)).not.toBeNull();
    const strangers = await verifyLog(rawEventLog(store), {
      keyring: new Keyring([digest!.keyId && loadOrCreateSigningKey(dir.path).publicKeyPem]),
    });
    expect(strangers.breaks.map((b) => b.reason)).toEqual(['digest_signature_invalid', 'digest_signature_invalid']);
    // … and only reported as unverifiable when no key is known at all
    const keyless = await verifyLog(rawEventLog(store), { keyring: new Keyring() });
    expect(keyless.digests.unverifiable).toBe(2);
    expect(keyless.warnings).toEqual([expect.stringMatching(/no ledger public key/)]);
  });

  it('catches events cut from the end of the log', async () => {
    await appendLedgerDigest(store, loadOrCreateSigningKey(dir.path));
    const digestText = JSON.stringify((await verifyFile()).digest);
    deleteEvent(file, 13); // the digest event itself
    deleteEvent(file, 12);
    const report = await verifyFile([digestText]);
    expect(report.firstBreak).toMatchObject({ reason: 'digest_beyond_log', digestSource: 'external' });
  });

  it('proves nothing before an external digest changed (verify --against), and fails once something did', async () => {
    const kept = (await verifyFile()).digest;
    await interleaved(store, ['s-a'], 2);
    expect((await verifyFile([`${kept.position}:${kept.digest}`])).ok).toBe(true);
    forgeAndRehash(file, 5, (data) => ({ ...data, forged: true }));
    const report = await verifyFile([JSON.stringify(kept)]);
    expect(report.firstBreak).toMatchObject({
      reason: 'digest_mismatch',
      digestSource: 'external',
      interval: { after: 0, upTo: 12 },
    });
  });

  it('exports to NDJSON and imports into an empty store: same positions, hashes and digest', async () => {
    const signer = loadOrCreateSigningKey(dir.path);
    await appendLedgerDigest(store, signer);
    await interleaved(store, ['s-e'], 3);
    const chunks: string[] = [];
    for await (const chunk of exportLog(rawEventLog(store), { signer, publicKeys: [signer.publicKeyPem] }))
      chunks.push(chunk);
    const text = chunks.join('');
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(1 + 16 + 1);
    expect(JSON.parse(lines[0])).toMatchObject({ format: 'duban-log', version: 1, headPosition: 16 });
    expect(parseDigestClaim(lines[lines.length - 1]).position).toBe(16);

    const target = tempDir('duban-import-');
    const copy = new SqliteEventStore({ file: join(target.path, 'events.sqlite') });
    try {
      const result = await importLog(Readable.from([text]), copy, { keyring: new Keyring() });
      expect(result).toMatchObject({ events: 16, position: 16, signed: true });
      const rows = (s: SqliteEventStore) => s.database.prepare('SELECT * FROM events ORDER BY position').all();
      expect(rows(copy)).toEqual(rows(store));
      // the copy verifies against the original's digests with the original's key
      const report = await verifyLog(rawEventLog(copy), {
        keyring: new Keyring([signer.publicKeyPem]),
        against: [parseDigestClaim(lines[lines.length - 1])],
      });
      expect(report).toMatchObject({ ok: true, digests: { matched: 2 } });
      // a second import is refused: the store is no longer empty
      await expect(importLog(Readable.from([text]), copy)).rejects.toThrow(/only into an empty event store/);
      // and appends work again afterwards, continuing the positions
      expect((await copy.append('s-new', [anEvent()], { expectedRevision: 'no_stream' })).position).toBe(17);
    } finally {
      await copy.close();
      target.remove();
    }
  });

  it('splits lines across chunks (CRLF too) and refuses an endless line before buffering it', async () => {
    const lines: string[] = [];
    const zh = Buffer.from(':"中文"}\n{"c":3}');
    // the first character's three UTF-8 bytes arrive in two chunks
    for await (const line of boundedLines(
      Readable.from([Buffer.from('{"a":1}\r\n{"b"'), zh.subarray(0, 3), zh.subarray(3)]),
      100,
    ))
      lines.push(line);
    expect(lines).toEqual(['{"a":1}', '{"b":"中文"}', '{"c":3}']);
    const endless = Readable.from(
      (function* () {
        for (let i = 0; i < 1000; i++) yield 'x'.repeat(1000);
      })(),
    );
    await expect(async () => {
      for await (const _ of boundedLines(endless, 50_000)) void _;
    }).rejects.toThrow(/line 1: a line is longer than 50000 characters/);
  });

  it.each([
    ['an altered event', (lines: string[]) => (lines[3] = lines[3].replace('"i":0', '"i":7')), /line 4: hash_mismatch/],
    ['a dropped event', (lines: string[]) => lines.splice(5, 1), /missing_revision|cut or spliced/],
    ['a cut file', (lines: string[]) => lines.splice(lines.length - 1, 1), /ends without its trailer/],
    [
      'a bad trailer digest',
      (lines: string[]) =>
        (lines[lines.length - 1] = lines[lines.length - 1].replace(/"digest":"[0-9a-f]{4}/, '"digest":"0000')),
      /does not equal the trailer's|signature/,
    ],
    ['no header', (lines: string[]) => lines.splice(0, 1), /line 1: the first line must be the header/],
    [
      'a prototype key',
      (lines: string[]) => (lines[2] = lines[2].replace('"data":{', '"data":{"__proto__":1,')),
      /line 3: not JSON/,
    ],
    [
      'a prototype key spelled with escapes',
      (lines: string[]) => (lines[2] = lines[2].replace('"data":{', '"data":{"\\u005f_proto__":1,')),
      /line 3: not JSON/,
    ],
    ['not JSON', (lines: string[]) => (lines[2] = '{oops'), /line 3: not JSON/],
  ])('refuses to import %s, and leaves the store empty', async (_name, spoil, message) => {
    const signer = loadOrCreateSigningKey(dir.path);
    let text = '';
    for await (const chunk of exportLog(rawEventLog(store), { signer, publicKeys: [signer.publicKeyPem] }))
      text += chunk;
    const lines = text.trim().split('\n');
    spoil(lines);
    const target = tempDir('duban-import-');
    const copy = new SqliteEventStore({ file: join(target.path, 'events.sqlite') });
    try {
      const input = new PassThrough();
      input.end(lines.join('\n'));
      await expect(importLog(input, copy)).rejects.toThrow(message);
      expect(copy.headPositionSync()).toBe(0);
      expect((await copy.append('s', [anEvent()], { expectedRevision: 'no_stream' })).position).toBe(1);
    } finally {
      await copy.close();
      target.remove();
    }
  });
});
