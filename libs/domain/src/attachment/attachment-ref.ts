import { InvalidCommand } from '../errors';
import { ISSUE_LIMITS } from '../issue/issue.vocabulary';

/**
 * An evidence file as an event records it: its content address and what it was, so the hash chain covers the
 * file's own hash (a swapped file no longer hashes to `sha256`). The application resolves an id the caller gives
 * into this from the attachment store; the domain only checks its shape.
 */
export interface AttachmentRef {
  /** `sha256:<hex>` */
  id: string;
  sha256: string;
  size: number;
  mediaType: string;
  /** the uploader's file name: metadata only, never a path */
  name: string;
}

/** What `attachments` and `evidence` held before evidence files: free text naming a file elsewhere (events stay readable). */
export type EvidenceRef = AttachmentRef | string;

export const ATTACHMENT_ID_PATTERN = /^sha256:[0-9a-f]{64}$/;

/** Every attachment id an event's data JSON references (unescaped `"id":"sha256:…"` occurs only as a reference's key). */
export function attachmentIdsInJson(json: string): string[] {
  if (!json.includes('"sha256:')) return [];
  const ids = new Set<string>();
  for (const match of json.matchAll(/"id":"(sha256:[0-9a-f]{64})"/g)) ids.add(match[1]);
  return [...ids];
}

/**
 * The same ids as `attachmentIdsInJson(JSON.stringify(data))`, in the same order, read off parsed data: every `id`
 * holding an attachment id, depth first in key order (a projection has the data parsed, and serialising it again
 * for every event costs more than the walk).
 */
export function attachmentIdsIn(data: unknown): string[] {
  const ids = new Set<string>();
  const walk = (value: unknown): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(walk);
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key];
      if (key === 'id' && typeof child === 'string' && ATTACHMENT_ID_PATTERN.test(child)) ids.add(child);
      else walk(child);
    }
  };
  walk(data);
  return [...ids];
}

/** A list of resolved references (absent: none), at most `ISSUE_LIMITS.references`, each well formed. */
export function requireAttachmentRefs(field: string, value: unknown): AttachmentRef[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new InvalidCommand(field, 'must be a list of attachment ids');
  if (value.length > ISSUE_LIMITS.references)
    throw new InvalidCommand(field, `must reference at most ${ISSUE_LIMITS.references} files`);
  return value.map((item: Partial<AttachmentRef> | null, i) => {
    const ok =
      typeof item === 'object' &&
      item !== null &&
      typeof item.id === 'string' &&
      ATTACHMENT_ID_PATTERN.test(item.id) &&
      item.sha256 === item.id.slice('sha256:'.length) &&
      Number.isSafeInteger(item.size) &&
      item.size! >= 0 &&
      typeof item.mediaType === 'string' &&
      typeof item.name === 'string';
    if (!ok)
      throw new InvalidCommand(`${field}[${i}]`, 'must be an uploaded attachment (POST /attachments answers its id)');
    return { id: item.id!, sha256: item.sha256!, size: item.size!, mediaType: item.mediaType!, name: item.name! };
  });
}

/** `{attachments}` when a command gave any, else nothing (events recorded before evidence files lack the field). */
export function optionalAttachments(value: unknown): { attachments?: AttachmentRef[] } {
  const attachments = requireAttachmentRefs('attachments', value);
  return attachments.length ? { attachments } : {};
}
