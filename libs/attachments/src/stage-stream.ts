import { createHash, type Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { IncomingMessage } from 'node:http';
import { finished, Readable } from 'node:stream';
import { AttachmentTooLarge, HEAD_BYTES, type StageOptions } from './attachment-store.port';

/** Socket chunks are ~64 KB: gathered into writes of about 1 MB, a write (a thread-pool round trip) is rarer. */
const WRITE_BATCH_BYTES = 1024 * 1024;
/** While a write is in flight the upload keeps being read and hashed, up to this much held in memory. */
const MAX_PENDING_BYTES = 8 * 1024 * 1024;

/**
 * Reads an upload chunk by chunk, hashing as it goes, handing the first bytes to `inspect` before writing any,
 * and refusing one byte over the limit. Writes go to `write` in batches, one at a time, while the next batch
 * is read and hashed (the disk and the network overlap); past `MAX_PENDING_BYTES` reading waits for the disk,
 * so a slow disk slows the client instead of filling memory. Throws whatever the source or a write throws (a
 * client that disconnects), once no write is in flight any more: the caller discards.
 */
export async function pumpUpload(
  source: AsyncIterable<Buffer | Uint8Array>,
  options: StageOptions,
  write: (chunks: Buffer[]) => Promise<void>,
): Promise<{ sha256: string; size: number }> {
  const hash: Hash = createHash('sha256');
  let size = 0;
  let head: Buffer[] | null = [];
  let headBytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let writing: Promise<void> | null = null;
  let failure: { error: unknown } | null = null;
  const launch = () => {
    const batch = pending;
    pending = [];
    pendingBytes = 0;
    writing = write(batch).then(
      () => {
        writing = null;
      },
      (error: unknown) => {
        failure = { error };
        writing = null;
      },
    );
  };
  const drained = async () => {
    while (writing) await writing;
  };
  const settle = async () => {
    await drained();
    if (failure) throw failure.error;
  };
  const enqueue = async (chunk: Buffer) => {
    if (failure) throw failure.error;
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes < WRITE_BATCH_BYTES || (writing && pendingBytes < MAX_PENDING_BYTES)) return;
    await settle();
    launch();
  };
  try {
    for await (const batch of source instanceof Readable ? batchesOf(source, MAX_PENDING_BYTES) : singly(source))
      for (const raw of batch) {
        const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
        size += chunk.length;
        if (size > options.maxBytes) throw new AttachmentTooLarge(options.maxBytes);
        hash.update(chunk);
        if (head) {
          head.push(chunk);
          headBytes += chunk.length;
          if (headBytes < HEAD_BYTES) continue;
          const bytes = Buffer.concat(head);
          head = null;
          await options.inspect?.(bytes);
          await enqueue(bytes);
        } else {
          await enqueue(chunk);
        }
      }
    if (head) {
      const bytes = Buffer.concat(head);
      head = null;
      await options.inspect?.(bytes);
      if (bytes.length) await enqueue(bytes);
    }
    await settle();
    if (pendingBytes > 0) launch();
    await settle();
  } finally {
    // never leave a write running into a handle the caller is about to close
    await drained();
  }
  return { sha256: hash.digest('hex'), size };
}

/**
 * A stream (the request itself) read in flowing mode: each step hands over every chunk that arrived since the
 * last, so a socket delivers many 64 KB reads per event-loop turn, where pulling one chunk at a time pauses
 * and resumes the socket for each. Paused while `limit` bytes wait unread; destroyed when the reader stops
 * early (a refused upload), as a for-await over the stream would.
 */
async function* batchesOf(source: Readable, limit: number): AsyncGenerator<Buffer[]> {
  let queue: Buffer[] = [];
  let queued = 0;
  let ended = false;
  let failure = null as { error: unknown } | null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  const onData = (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= limit) source.pause();
    notify();
  };
  const stop = finished(source, (error) => {
    if (error) failure = { error };
    ended = true;
    notify();
  });
  source.on('data', onData);
  try {
    for (;;) {
      if (queue.length) {
        const batch = queue;
        queue = [];
        queued = 0;
        if (source.isPaused()) source.resume();
        yield batch;
      } else if (failure) throw failure.error;
      else if (ended) return;
      else await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    source.off('data', onData);
    stop();
    if (!ended) {
      // as Node's own for-await does with a server request: detached from its socket first, so the refusal
      // (413, 415) is still answered on that socket
      if (source instanceof IncomingMessage) (source as { socket: unknown }).socket = null;
      source.destroy();
    }
  }
}

/** Any other source, one chunk at a time. */
async function* singly(source: AsyncIterable<Buffer | Uint8Array>): AsyncGenerator<(Buffer | Uint8Array)[]> {
  for await (const chunk of source) yield [chunk];
}

/** Writes every byte of `chunks` at the handle's position (one writev, continued if the kernel wrote less). */
export async function writeAll(handle: FileHandle, chunks: Buffer[]): Promise<void> {
  let rest = chunks;
  while (rest.length) {
    const { bytesWritten } = await handle.writev(rest);
    let skipped = bytesWritten;
    const next: Buffer[] = [];
    for (const chunk of rest) {
      if (skipped >= chunk.length) skipped -= chunk.length;
      else {
        next.push(skipped ? chunk.subarray(skipped) : chunk);
        skipped = 0;
      }
    }
    rest = next;
  }
}

/** How much is written between two background datasyncs of an upload being staged. */
const EARLY_SYNC_BYTES = 8 * 1024 * 1024;

/**
 * Writes into a staged file, starting a datasync in the background every `EARLY_SYNC_BYTES` (one at a time),
 * so the disk writes back while the upload is still arriving and the fsync before the rename has only the
 * tail left to flush. `sync` waits for those, then fsyncs the file (data and size) as before.
 */
export function stagingWriter(handle: FileHandle) {
  let unsynced = 0;
  let syncing: Promise<void> | null = null;
  let failure: { error: unknown } | null = null;
  const idle = async () => {
    while (syncing) await syncing;
  };
  return {
    async write(chunks: Buffer[]): Promise<void> {
      if (failure) throw failure.error;
      await writeAll(handle, chunks);
      for (const chunk of chunks) unsynced += chunk.length;
      if (unsynced < EARLY_SYNC_BYTES || syncing) return;
      unsynced = 0;
      syncing = handle.datasync().then(
        () => {
          syncing = null;
        },
        (error: unknown) => {
          failure = { error };
          syncing = null;
        },
      );
    },
    /** every byte on disk: the background syncs finished, then one fsync */
    async sync(): Promise<void> {
      await idle();
      if (failure) throw failure.error;
      await handle.sync();
    },
    /** nothing running against the handle any more (before closing it on a failure) */
    idle,
  };
}
