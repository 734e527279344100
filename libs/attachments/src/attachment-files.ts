import { join } from 'node:path';
import { AttachmentCatalog, ATTACHMENT_CATALOG_FILE } from './attachment-catalog';
import type { AttachmentStore } from './attachment-store.port';
import { FsAttachmentStore } from './fs-attachment-store';
import { isAllowedMediaType, MediaTypeRefused, sniffMediaType } from './media-types';

/** The directory of the filesystem store (and of the S3 adapter's spool) under DATA_DIR. */
export const ATTACHMENTS_DIR = 'attachments';

/** A stored upload as `POST /attachments` answers it. */
export interface UploadedAttachment {
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  name: string;
}

/** A sweep's outcome: files removed, and staged leftovers of crashed or cut uploads. */
export interface SweepResult {
  removed: string[];
  staleTemporaries: number;
}

/** Temporary files older than this are leftovers (a crash mid-upload): the sweep removes them. */
const STALE_TEMPORARY_MS = 60 * 60 * 1000;

/** The store and its catalog together: upload, look up, pin, sweep. One per process (API, worker, CLI). */
export class AttachmentFiles {
  constructor(
    readonly store: AttachmentStore,
    readonly catalog: AttachmentCatalog,
  ) {}

  /** Streams an upload into the store: the type sniffed from its first bytes, the limit enforced, nothing left on failure. */
  async upload(
    source: AsyncIterable<Buffer | Uint8Array>,
    options: { maxBytes: number; uploader: string; name: string; now?: () => number },
  ): Promise<UploadedAttachment> {
    const now = options.now ?? Date.now;
    let mediaType = '';
    const staged = await this.store.stage(source, {
      maxBytes: options.maxBytes,
      inspect: async (head) => {
        const sniffed = head.length ? await sniffMediaType(head) : null;
        if (!sniffed || !isAllowedMediaType(sniffed)) throw new MediaTypeRefused(sniffed);
        mediaType = sniffed;
      },
    });
    const id = `sha256:${staged.sha256}`;
    try {
      const deadline = now() + 10_000;
      while (!this.catalog.beginUpload(id, staged.size, mediaType, now())) {
        if (now() > deadline) throw new Error(`the file ${id} is being removed by the orphan sweep; try again`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await staged.publish();
    } catch (error) {
      await staged.discard();
      throw error;
    }
    this.catalog.recordUploader(id, options.uploader, options.name, now());
    return { id, sha256: staged.sha256, size: staged.size, mediaType, name: options.name };
  }

  /**
   * Removes files no command referenced within the grace period (never a pinned one: a command pins its
   * files before its event is appended), and temporaries older than an hour.
   */
  async sweepOrphans(graceMs: number, now = Date.now()): Promise<SweepResult> {
    const removed: string[] = [];
    for (;;) {
      const claims = this.catalog.claimOrphans(now - graceMs, now);
      if (claims.length === 0) break;
      for (const { id, claimedAt } of claims) {
        await this.store.remove(id.slice('sha256:'.length));
        this.catalog.forget(id, claimedAt);
        removed.push(id);
      }
    }
    return { removed, staleTemporaries: await this.store.removeStale(STALE_TEMPORARY_MS, now) };
  }

  close(): void {
    this.catalog.close();
  }
}

interface StoreConfig {
  dataDir: string;
  attachmentStoreUrl: string | null;
}

/** The configured store: S3 when `attachmentStoreUrl` is set, else the filesystem under `dataDir/attachments`. */
export function openAttachmentStore(config: StoreConfig): AttachmentStore {
  const root = join(config.dataDir, ATTACHMENTS_DIR);
  if (!config.attachmentStoreUrl) return new FsAttachmentStore(root);
  // loaded only when configured: the S3 client is large, and the CLI and the tests start often
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { S3AttachmentStore } = require('./s3-attachment-store') as typeof import('./s3-attachment-store');
  return new S3AttachmentStore(config.attachmentStoreUrl, join(root, 'tmp'));
}

/** The configured store with its catalog (`dataDir/attachments.db`). */
export function openAttachmentFiles(config: StoreConfig): AttachmentFiles {
  return new AttachmentFiles(
    openAttachmentStore(config),
    new AttachmentCatalog(join(config.dataDir, ATTACHMENT_CATALOG_FILE)),
  );
}
