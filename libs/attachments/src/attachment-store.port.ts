import type { Readable } from 'node:stream';

/** The bytes of an upload written aside (hashed as they came), not yet visible under their hash. */
export interface StagedFile {
  sha256: string;
  size: number;
  /** makes it readable under its hash (atomically: a reader sees the whole file or none); same bytes twice give one file */
  publish(): Promise<void>;
  /** removes the staged bytes (refused upload, disconnect) */
  discard(): Promise<void>;
}

export interface StageOptions {
  /** the largest accepted size: one more byte aborts the upload with AttachmentTooLarge */
  maxBytes: number;
  /** called once with the first bytes (up to `HEAD_BYTES`, or all of a shorter file); a throw aborts the upload */
  inspect?(head: Buffer): Promise<void> | void;
}

/** The first bytes handed to `inspect` (enough for file-type to sniff every allowed media type). */
export const HEAD_BYTES = 4100;

/** An inclusive byte range, as HTTP ranges are. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where evidence files live, content-addressed by SHA-256 (the hex digest names the file): the filesystem
 * under DATA_DIR/attachments, or an S3-compatible bucket. Names and who uploaded are the catalog's.
 */
export interface AttachmentStore {
  /** `filesystem` or `s3`, for logs and health */
  readonly kind: string;
  stage(source: AsyncIterable<Buffer | Uint8Array>, options: StageOptions): Promise<StagedFile>;
  /** null when there is no such file */
  stat(sha256: string): Promise<{ size: number } | null>;
  /** the file (or a range of it); null when there is no such file */
  open(sha256: string, range?: ByteRange): Promise<Readable | null>;
  /** the SHA-256 of the bytes stored under `sha256` now (differs when the file was altered); null when missing */
  hashOf(sha256: string): Promise<string | null>;
  remove(sha256: string): Promise<void>;
  /** removes staged files left by a crash, older than `olderThanMs`; answers how many */
  removeStale(olderThanMs: number, now?: number): Promise<number>;
}

/** One byte over the limit: nothing is kept. */
export class AttachmentTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than the limit of ${maxBytes} bytes (ATTACHMENT_MAX_BYTES)`);
    this.name = 'AttachmentTooLarge';
  }
}
