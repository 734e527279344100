import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import type { AttachmentStore, ByteRange, StagedFile, StageOptions } from './attachment-store.port';
import { pumpUpload, writeAll } from './stage-stream';

/**
 * An S3-compatible bucket (MinIO, Ceph RGW, the domestic object stores): `s3://bucket/prefix?endpoint=…&region=…`.
 * The key is only known once the bytes are hashed, so an upload is spooled to a local file (`spoolDir`),
 * then put under `prefix/<sha256>` (a PUT is atomic: readers see the whole object or none). Credentials come
 * from the SDK's usual chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, profiles). Not exercised by the test
 * suite here (no object store on these machines); the filesystem adapter is the tested one.
 */
export class S3AttachmentStore implements AttachmentStore {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;

  constructor(
    url: string,
    private readonly spoolDir: string,
  ) {
    const parsed = new URL(url);
    this.bucket = parsed.hostname;
    const path = decodeURIComponent(parsed.pathname).replace(/^\/+|\/+$/g, '');
    this.prefix = path ? `${path}/` : '';
    const endpoint = parsed.searchParams.get('endpoint') ?? undefined;
    this.client = new S3Client({
      region: parsed.searchParams.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
      ...(endpoint ? { endpoint } : {}),
      // MinIO and most self-hosted stores address buckets by path
      forcePathStyle: parsed.searchParams.get('forcePathStyle') !== 'false' && endpoint !== undefined,
    });
  }

  private key(sha256: string) {
    return `${this.prefix}${sha256}`;
  }

  async stage(source: AsyncIterable<Buffer | Uint8Array>, options: StageOptions): Promise<StagedFile> {
    await mkdir(this.spoolDir, { recursive: true });
    const spool = join(this.spoolDir, `${randomUUID()}.part`);
    const handle = await open(spool, 'wx', 0o600);
    let closed = false;
    const discard = async () => {
      if (!closed) await handle.close().catch(() => undefined);
      closed = true;
      await rm(spool, { force: true });
    };
    try {
      const { sha256, size } = await pumpUpload(source, options, (chunks) => writeAll(handle, chunks));
      await handle.close();
      closed = true;
      return {
        sha256,
        size,
        discard,
        publish: async () => {
          try {
            await this.client.send(
              new PutObjectCommand({
                Bucket: this.bucket,
                Key: this.key(sha256),
                Body: createReadStream(spool),
                ContentLength: size,
                ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
              }),
            );
          } finally {
            await rm(spool, { force: true });
          }
        },
      };
    } catch (error) {
      await discard();
      throw error;
    }
  }

  async stat(sha256: string): Promise<{ size: number } | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async open(sha256: string, range?: ByteRange): Promise<Readable | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: this.key(sha256),
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      return object.Body as Readable;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async hashOf(sha256: string): Promise<string | null> {
    const body = await this.open(sha256);
    if (!body) return null;
    const hash = createHash('sha256');
    await pipeline(body, hash);
    return hash.digest('hex');
  }

  async remove(sha256: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(sha256) }));
  }

  async removeStale(olderThanMs: number, now = Date.now()): Promise<number> {
    const names = await readdir(this.spoolDir).catch(() => [] as string[]);
    let removed = 0;
    for (const name of names) {
      const s = await stat(join(this.spoolDir, name)).catch(() => null);
      if (s && now - s.mtimeMs > olderThanMs) {
        await rm(join(this.spoolDir, name), { force: true });
        removed++;
      }
    }
    return removed;
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
}
