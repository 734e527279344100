import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import { openAttachmentFiles, openAttachmentStore } from '@duban/attachments';
import { ATTACHMENT_ID_PATTERN, attachmentIdsInJson, type AttachmentRef } from '@duban/domain';
import { api, AuditContext } from './context';

/** What an export or import did with the files the log references. */
export interface FilesCopied {
  files: number;
  bytes: number;
  missing: string[];
  altered: string[];
}

/** ATTACHMENT_STORE_URL (an S3-compatible bucket) when set, else the filesystem store in the data dir. */
const storeOf = (context: AuditContext) =>
  openAttachmentStore({
    dataDir: context.dataDir,
    attachmentStoreUrl: process.env.ATTACHMENT_STORE_URL?.trim() || null,
  });

/** Every evidence file an export references, with what its events say of it (the first event that names it). */
async function referencedFiles(logFile: string): Promise<Map<string, AttachmentRef>> {
  const files = new Map<string, AttachmentRef>();
  for await (const line of createInterface({ input: createReadStream(logFile), crlfDelay: Infinity })) {
    const ids = attachmentIdsInJson(line).filter((id) => !files.has(id));
    if (ids.length === 0) continue;
    const refs = refsIn(JSON.parse(line) as unknown);
    for (const id of ids) {
      const ref = refs.find((r) => r.id === id);
      if (ref) files.set(id, ref);
    }
  }
  return files;
}

function refsIn(value: unknown): AttachmentRef[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (!value || typeof value !== 'object') return [];
  const r = value as Partial<AttachmentRef>;
  if (typeof r.id === 'string' && ATTACHMENT_ID_PATTERN.test(r.id) && typeof r.size === 'number')
    return [r as AttachmentRef];
  return Object.values(value).flatMap(refsIn);
}

/** Writes `bytes` to `dir/<sha256>` through a temporary name, hashing them: answers the hash they had. */
async function writeHashed(bytes: Readable, dir: string, sha256: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  const tmp = join(dir, `.${sha256}.part`);
  bytes.on('data', (chunk: Buffer) => {
    hash.update(chunk);
    size += chunk.length;
  });
  await pipeline(bytes, createWriteStream(tmp));
  await rename(tmp, join(dir, sha256));
  return { sha256: hash.digest('hex'), size };
}

/** `export --attachments DIR`: each referenced file beside the NDJSON as `DIR/<sha256>`, checked as it is copied. */
export async function exportAttachments(context: AuditContext, logFile: string, dir: string): Promise<FilesCopied> {
  await mkdir(dir, { recursive: true });
  const result: FilesCopied = { files: 0, bytes: 0, missing: [], altered: [] };
  const store = context.server ? null : storeOf(context);
  for (const id of (await referencedFiles(logFile)).keys()) {
    const sha256 = id.slice('sha256:'.length);
    const bytes = store
      ? await store.open(sha256)
      : await api(context, `/attachments/${encodeURIComponent(id)}`)
          .then((res) => Readable.fromWeb(res.body as NodeReadableStream<Uint8Array>))
          .catch(() => null);
    if (!bytes) {
      result.missing.push(id);
      continue;
    }
    const written = await writeHashed(bytes, dir, sha256);
    if (written.sha256 !== sha256) {
      result.altered.push(id);
      await rm(join(dir, sha256), { force: true });
      continue;
    }
    result.files++;
    result.bytes += written.size;
  }
  return result;
}

/**
 * `import FILE --attachments DIR`: each file the imported log references, from `DIR/<sha256>` into the data
 * dir's store, checked against its id as it is copied (an altered or absent file is reported, not stored), and
 * recorded in the catalog as referenced (so the orphan sweep keeps it).
 */
export async function importAttachments(context: AuditContext, logFile: string, dir: string): Promise<FilesCopied> {
  const files = openAttachmentFiles({
    dataDir: context.dataDir,
    attachmentStoreUrl: process.env.ATTACHMENT_STORE_URL?.trim() || null,
  });
  const result: FilesCopied = { files: 0, bytes: 0, missing: [], altered: [] };
  try {
    for (const [id, ref] of await referencedFiles(logFile)) {
      const sha256 = id.slice('sha256:'.length);
      let staged;
      try {
        staged = await files.store.stage(createReadStream(join(dir, sha256)), { maxBytes: Number.MAX_SAFE_INTEGER });
      } catch {
        result.missing.push(id);
        continue;
      }
      if (staged.sha256 !== sha256) {
        await staged.discard();
        result.altered.push(id);
        continue;
      }
      await staged.publish();
      files.catalog.restore({ id, size: staged.size, mediaType: ref.mediaType, name: ref.name }, Date.now());
      result.files++;
      result.bytes += staged.size;
    }
  } finally {
    files.close();
  }
  return result;
}
