import { attachmentIdsInJson } from '@duban/domain';
import type { StoredEvent } from '@duban/event-store';

/** Where the bytes of evidence files are: the attachment store (the filesystem adapter, or S3) answers their hash. */
export interface FileHashes {
  /** the SHA-256 of the bytes stored under `sha256` now; null when there are none */
  hashOf(sha256: string): Promise<string | null>;
}

/** An event that references a file (the first `MAX_EVENTS_PER_FILE` of them, in log order). */
export interface FileReference {
  position: number;
  streamId: string;
  revision: number;
  type: string;
}

export interface FileFinding {
  id: string;
  /** altered only: what the stored bytes hash to now */
  actualSha256?: string;
  events: FileReference[];
}

/** Verify's account of the evidence files the log references. */
export interface FilesReport {
  /** distinct files referenced by the events read */
  referenced: number;
  checked: number;
  missing: FileFinding[];
  altered: FileFinding[];
}

const MAX_EVENTS_PER_FILE = 20;
const MAX_FINDINGS = 1000;
/** files hashed at once: disks and object stores both like a few requests in flight */
const CONCURRENCY = 8;

/**
 * Collects the files the log references while verify reads it (the ids in the events' stored data: the
 * hash chain covers them), then checks each exists and still hashes to its id.
 */
export class ReferencedFiles {
  private readonly files = new Map<string, FileReference[]>();

  note(event: StoredEvent): void {
    for (const id of attachmentIdsInJson(event.dataJson)) {
      let events = this.files.get(id);
      if (!events) this.files.set(id, (events = []));
      if (events.length < MAX_EVENTS_PER_FILE)
        events.push({ position: event.position, streamId: event.streamId, revision: event.revision, type: event.type });
    }
  }

  get ids(): string[] {
    return [...this.files.keys()];
  }

  async check(store: FileHashes, onProgress?: (checked: number, total: number) => void): Promise<FilesReport> {
    const report: FilesReport = { referenced: this.files.size, checked: 0, missing: [], altered: [] };
    const queue = [...this.files.entries()];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const [id, events] = next;
        const expected = id.slice('sha256:'.length);
        const actual = await store.hashOf(expected).catch(() => null);
        report.checked++;
        if (actual === null) {
          if (report.missing.length < MAX_FINDINGS) report.missing.push({ id, events });
        } else if (actual !== expected) {
          if (report.altered.length < MAX_FINDINGS) report.altered.push({ id, actualSha256: actual, events });
        }
        if (report.checked % 1000 === 0) onProgress?.(report.checked, report.referenced);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const byFirstEvent = (a: FileFinding, b: FileFinding) => a.events[0].position - b.events[0].position;
    report.missing.sort(byFirstEvent);
    report.altered.sort(byFirstEvent);
    return report;
  }
}
