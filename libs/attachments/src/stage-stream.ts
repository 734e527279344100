import { createHash, type Hash } from 'node:crypto';
import { AttachmentTooLarge, HEAD_BYTES, type StageOptions } from './attachment-store.port';

const WRITE_BATCH_BYTES = 1024 * 1024;

/**
 * Reads an upload chunk by chunk into `write` (awaited, so a slow disk slows the client instead of filling
 * memory), hashing as it goes, handing the first bytes to `inspect` before writing any, and refusing one byte
 * over the limit. Throws whatever the source throws (a client that disconnects): the caller discards.
 */
export async function pumpUpload(
  source: AsyncIterable<Buffer | Uint8Array>,
  options: StageOptions,
  write: (chunk: Buffer) => Promise<void>,
): Promise<{ sha256: string; size: number }> {
  const hash: Hash = createHash('sha256');
  let size = 0;
  let head: Buffer[] | null = [];
  let headBytes = 0;
  const flushHead = async () => {
    const bytes = Buffer.concat(head!);
    head = null;
    await options.inspect?.(bytes);
    if (bytes.length) await write(bytes);
  };
  // socket chunks are ~64 KB: written in batches of up to 1 MB, a write (a thread-pool round trip) is rarer
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const writeBatched = async (chunk: Buffer | null) => {
    if (chunk) {
      pending.push(chunk);
      pendingBytes += chunk.length;
    }
    if (pendingBytes >= WRITE_BATCH_BYTES || (chunk === null && pendingBytes > 0)) {
      const batch = pending.length === 1 ? pending[0] : Buffer.concat(pending);
      pending = [];
      pendingBytes = 0;
      await write(batch);
    }
  };
  for await (const raw of source) {
    const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    size += chunk.length;
    if (size > options.maxBytes) throw new AttachmentTooLarge(options.maxBytes);
    hash.update(chunk);
    if (head) {
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes >= HEAD_BYTES) await flushHead();
    } else {
      await writeBatched(chunk);
    }
  }
  if (head) await flushHead();
  await writeBatched(null);
  return { sha256: hash.digest('hex'), size };
}
