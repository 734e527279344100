import { createHash } from 'node:crypto';
import type { AttachmentRef } from '../attachment/attachment-ref';

/** An evidence file as the application resolves it, for specs: its id is the hash of `name` (any stable bytes do). */
export function evidenceFile(name: string, mediaType = 'image/jpeg'): AttachmentRef {
  const sha256 = createHash('sha256').update(name).digest('hex');
  return { id: `sha256:${sha256}`, sha256, size: name.length, mediaType, name };
}
