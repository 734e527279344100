import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  AttachmentTooLarge,
  MediaTypeRefused,
  openAttachmentFiles,
  sweepIntervalMs,
  type AttachmentFiles,
} from './index';

const jpeg = (size: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(size - 4)]);
const hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The bytes in small chunks, as a socket delivers them. */
const chunked = (bytes: Buffer, size = 1000) =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)),
  );

describe('the filesystem attachment store and its catalog', () => {
  let dir: string;
  let files: AttachmentFiles;
  const upload = (bytes: Buffer, uploader = 'u1', maxBytes = 1 << 20) =>
    files.upload(chunked(bytes), { maxBytes, uploader, name: 'a.jpg' });
  const stored = () =>
    readdirSync(join(dir, 'attachments'))
      .filter((d) => d !== 'tmp')
      .flatMap((d) => readdirSync(join(dir, 'attachments', d)));
  const temporaries = () => readdirSync(join(dir, 'attachments', 'tmp'));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'duban-attachments-'));
    files = openAttachmentFiles({ dataDir: dir, attachmentStoreUrl: null });
  });
  afterEach(() => {
    files.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores by hash; the same bytes uploaded at once by many give one file and one id', async () => {
    const bytes = jpeg(300_000);
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => upload(bytes, `u${i}`)));
    expect(new Set(answers.map((a) => a.id))).toEqual(new Set([`sha256:${hex(bytes)}`]));
    expect(stored()).toEqual([hex(bytes)]);
    expect(temporaries()).toEqual([]);
    expect(await files.store.hashOf(hex(bytes))).toBe(hex(bytes));
  });

  it('a refused type, one byte too many or a failing source leave nothing behind', async () => {
    await expect(
      files.upload(chunked(Buffer.from('#!/bin/sh\nrm -rf /\n')), { maxBytes: 100, uploader: 'u', name: 'x' }),
    ).rejects.toBeInstanceOf(MediaTypeRefused);
    await expect(upload(jpeg(2001), 'u', 2000)).rejects.toBeInstanceOf(AttachmentTooLarge);
    const broken = (async function* () {
      yield jpeg(5000);
      throw new Error('aborted');
    })();
    await expect(files.upload(broken, { maxBytes: 1 << 20, uploader: 'u', name: 'x' })).rejects.toThrow('aborted');
    expect(stored()).toEqual([]);
    expect(temporaries()).toEqual([]);
  });

  it('a large upload is written while it arrives (batched, synced behind) and stored byte for byte; cut midway, nothing stays', async () => {
    const bytes = jpeg(20 * 1024 * 1024 + 12_345);
    const answer = await upload(bytes, 'u', bytes.length);
    expect(answer).toMatchObject({ sha256: hex(bytes), size: bytes.length, mediaType: 'image/jpeg' });
    expect(await files.store.hashOf(hex(bytes))).toBe(hex(bytes));
    expect(temporaries()).toEqual([]);
    // the source fails with writes and a background sync in flight: the temporary file goes all the same
    const cut = (async function* () {
      for (let i = 0; i < 12 * 16; i++) yield bytes.subarray(i * 65_536, (i + 1) * 65_536);
      throw new Error('the client disconnected');
    })();
    await expect(files.upload(cut, { maxBytes: bytes.length, uploader: 'u', name: 'x' })).rejects.toThrow(
      'disconnected',
    );
    expect(stored()).toEqual([hex(bytes)]);
    expect(temporaries()).toEqual([]);
  });

  it('the sweep removes unreferenced files after the grace period only, never a pinned one', async () => {
    const kept = await upload(jpeg(1000));
    const orphan = await upload(jpeg(1000));
    expect(files.catalog.pin([kept.id, `sha256:${'0'.repeat(64)}`], Date.now())).toEqual([`sha256:${'0'.repeat(64)}`]);
    const grace = 86_400_000;
    expect((await files.sweepOrphans(grace)).removed).toEqual([]);
    const later = Date.now() + grace + 1000;
    expect((await files.sweepOrphans(grace, later)).removed).toEqual([orphan.id]);
    expect(stored()).toEqual([kept.sha256]);
    expect(files.catalog.find(orphan.id)).toBeNull();
    // a swept file can no longer be referenced
    expect(files.catalog.pin([orphan.id], later)).toEqual([orphan.id]);
  });

  it('an upload of a file the sweep is removing waits for it, then publishes again', async () => {
    const bytes = jpeg(1000);
    const first = await upload(bytes);
    const later = Date.now() + 10_000;
    const [claim] = files.catalog.claimOrphans(later, later);
    expect(claim.id).toBe(first.id);
    expect(files.catalog.find(first.id)).toBeNull();
    const again = upload(bytes);
    await new Promise((r) => setTimeout(r, 200));
    await files.store.remove(first.sha256);
    files.catalog.forget(claim.id, claim.claimedAt);
    expect((await again).id).toBe(first.id);
    expect(stored()).toEqual([first.sha256]);
    expect(files.catalog.find(first.id)).not.toBeNull();
  });

  it('staged leftovers of a crash are removed after an hour', async () => {
    await upload(jpeg(1000));
    const leftover = join(dir, 'attachments', 'tmp', 'crashed.part');
    writeFileSync(leftover, 'half');
    const hourAgo = (Date.now() - 2 * 3600_000) / 1000;
    utimesSync(leftover, hourAgo, hourAgo);
    expect((await files.sweepOrphans(86_400_000)).staleTemporaries).toBe(1);
    expect(existsSync(leftover)).toBe(false);
  });

  it('sweeps a quarter of the grace period apart, between a minute and an hour', () => {
    expect(sweepIntervalMs(60_000)).toBe(60_000);
    expect(sweepIntervalMs(2 * 3600_000)).toBe(1800_000);
    expect(sweepIntervalMs(86_400_000)).toBe(3600_000);
  });
});
