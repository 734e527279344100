import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AttachmentStore, ByteRange, StagedFile, StageOptions } from './attachment-store.port';
import { pumpUpload, stagingWriter } from './stage-stream';

const HEX = /^[0-9a-f]{64}$/;

/**
 * Files under `root/<first two hex>/<sha256>`; an upload is written to `root/tmp/`, fsynced, renamed into
 * place (atomic: a reader sees the whole file or none) and the directory fsynced, so a 201 means the file
 * survives a crash. Two uploads of the same bytes rename the same content onto one name: one file.
 */
export class FsAttachmentStore implements AttachmentStore {
  readonly kind = 'filesystem';
  private readonly tmp: string;

  constructor(readonly root: string) {
    this.tmp = join(root, 'tmp');
  }

  pathOf(sha256: string): string {
    if (!HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
    return join(this.root, sha256.slice(0, 2), sha256);
  }

  async stage(source: AsyncIterable<Buffer | Uint8Array>, options: StageOptions): Promise<StagedFile> {
    await mkdir(this.tmp, { recursive: true });
    const tmpPath = join(this.tmp, `${randomUUID()}.part`);
    const handle = await open(tmpPath, 'wx', 0o600);
    const writer = stagingWriter(handle);
    let closed = false;
    const discard = async () => {
      await writer.idle();
      if (!closed) await handle.close().catch(() => undefined);
      closed = true;
      await rm(tmpPath, { force: true });
    };
    try {
      const { sha256, size } = await pumpUpload(source, options, (chunks) => writer.write(chunks));
      await writer.sync();
      await handle.close();
      closed = true;
      return {
        sha256,
        size,
        discard,
        publish: async () => {
          const target = this.pathOf(sha256);
          const dir = join(this.root, sha256.slice(0, 2));
          await mkdir(dir, { recursive: true });
          await rename(tmpPath, target);
          await fsyncDir(dir);
        },
      };
    } catch (error) {
      await discard();
      throw error;
    }
  }

  async stat(sha256: string): Promise<{ size: number } | null> {
    try {
      const s = await stat(this.pathOf(sha256));
      return s.isFile() ? { size: s.size } : null;
    } catch {
      return null;
    }
  }

  async open(sha256: string, range?: ByteRange): Promise<Readable | null> {
    if (!(await this.stat(sha256))) return null;
    const chunk = { highWaterMark: 1024 * 1024 };
    return createReadStream(this.pathOf(sha256), range ? { ...chunk, start: range.start, end: range.end } : chunk);
  }

  async hashOf(sha256: string): Promise<string | null> {
    if (!(await this.stat(sha256))) return null;
    const hash = createHash('sha256');
    try {
      await pipeline(createReadStream(this.pathOf(sha256), { highWaterMark: 1024 * 1024 }), hash);
    } catch {
      return null;
    }
    return hash.digest('hex');
  }

  async remove(sha256: string): Promise<void> {
    await unlink(this.pathOf(sha256)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async removeStale(olderThanMs: number, now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.tmp);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const path = join(this.tmp, name);
      const s = await stat(path).catch(() => null);
      if (s && now - s.mtimeMs > olderThanMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

/** A rename is durable once its directory is fsynced. */
async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
