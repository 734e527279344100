import Database from 'better-sqlite3';

/** The catalog's file in DATA_DIR, beside the event store. */
export const ATTACHMENT_CATALOG_FILE = 'attachments.db';

/** A claim older than this is a sweep that died midway: an upload may take the file over, a sweep may finish it. */
const STALE_CLAIM_MS = 60_000;

export interface CatalogEntry {
  id: string;
  size: number;
  mediaType: string;
  /** set once a command referencing it was accepted (before its event was appended): the sweep never touches it */
  pinnedAt: number | null;
}

/**
 * What the content-addressed store does not know: each file's media type, who uploaded it under which name
 * (names are metadata only, never paths), and whether a command referenced it (a pin the orphan sweep
 * respects). Embedded SQLite in DATA_DIR, shared by the API, the worker and the CLI on one machine.
 */
export class AttachmentCatalog {
  private readonly db: Database.Database;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS attachment_files (
        id TEXT PRIMARY KEY, size INTEGER NOT NULL, media_type TEXT NOT NULL,
        first_uploaded_at INTEGER NOT NULL, last_uploaded_at INTEGER NOT NULL,
        pinned_at INTEGER, sweeping_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS attachment_files_orphans ON attachment_files (last_uploaded_at) WHERE pinned_at IS NULL;
      CREATE TABLE IF NOT EXISTS attachment_uploads (
        id TEXT NOT NULL, uploader TEXT NOT NULL, name TEXT NOT NULL, uploaded_at INTEGER NOT NULL,
        PRIMARY KEY (id, uploader)
      );
    `);
  }

  /**
   * Announces an upload of `id` before its bytes are published, so a sweep that has not yet claimed the file
   * leaves it alone. Answers false while a sweep is removing that same file (the caller waits and retries).
   */
  beginUpload(id: string, size: number, mediaType: string, at: number): boolean {
    return this.db
      .transaction(() => {
        const row = this.db.prepare('SELECT sweeping_at FROM attachment_files WHERE id = ?').get(id) as
          { sweeping_at: number | null } | undefined;
        if (row?.sweeping_at != null && at - row.sweeping_at < STALE_CLAIM_MS) return false;
        this.db
          .prepare(
            `INSERT INTO attachment_files (id, size, media_type, first_uploaded_at, last_uploaded_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET last_uploaded_at = excluded.last_uploaded_at, sweeping_at = NULL`,
          )
          .run(id, size, mediaType, at, at);
        return true;
      })
      .immediate();
  }

  recordUploader(id: string, uploader: string, name: string, at: number): void {
    this.db
      .prepare(
        `INSERT INTO attachment_uploads (id, uploader, name, uploaded_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id, uploader) DO UPDATE SET name = excluded.name, uploaded_at = excluded.uploaded_at`,
      )
      .run(id, uploader, name, at);
  }

  find(id: string): CatalogEntry | null {
    const row = this.db
      .prepare('SELECT id, size, media_type, pinned_at FROM attachment_files WHERE id = ? AND sweeping_at IS NULL')
      .get(id) as { id: string; size: number; media_type: string; pinned_at: number | null } | undefined;
    return row ? { id: row.id, size: row.size, mediaType: row.media_type, pinnedAt: row.pinned_at } : null;
  }

  /** The name `uploader` gave it, else the first name anyone gave it. */
  nameFor(id: string, uploader: string): string | null {
    const row = this.db
      .prepare(`SELECT name FROM attachment_uploads WHERE id = ? ORDER BY (uploader = ?) DESC, uploaded_at ASC LIMIT 1`)
      .get(id, uploader) as { name: string } | undefined;
    return row?.name ?? null;
  }

  uploadedBy(id: string, uploader: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM attachment_uploads WHERE id = ? AND uploader = ?').get(id, uploader);
  }

  /** Pins files a command is about to reference; answers the ids that are unknown (or being swept). */
  pin(ids: readonly string[], at: number): string[] {
    return this.db
      .transaction(() => {
        const update = this.db.prepare(
          'UPDATE attachment_files SET pinned_at = COALESCE(pinned_at, ?) WHERE id = ? AND sweeping_at IS NULL',
        );
        return ids.filter((id) => update.run(at, id).changes === 0);
      })
      .immediate();
  }

  /** A file an imported log references: known and pinned (its uploader is not in the log). */
  restore(entry: { id: string; size: number; mediaType: string; name: string }, at: number): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO attachment_files (id, size, media_type, first_uploaded_at, last_uploaded_at, pinned_at)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET pinned_at = COALESCE(pinned_at, excluded.pinned_at)`,
        )
        .run(entry.id, entry.size, entry.mediaType, at, at, at);
      this.recordUploader(entry.id, 'system:import', entry.name, at);
    })();
  }

  /**
   * Claims the files no command ever referenced whose last upload is older than `cutoff` (and finishes the
   * claims of a sweep that died). A claimed file is invisible to `find` and `pin`: nothing can reference it now.
   */
  claimOrphans(cutoff: number, at: number, limit = 1000): { id: string; claimedAt: number }[] {
    return this.db
      .transaction(() => {
        const stale = this.db
          .prepare('SELECT id, sweeping_at FROM attachment_files WHERE sweeping_at IS NOT NULL AND sweeping_at < ?')
          .all(at - STALE_CLAIM_MS) as { id: string; sweeping_at: number }[];
        const fresh = this.db
          .prepare(
            `SELECT id FROM attachment_files WHERE pinned_at IS NULL AND sweeping_at IS NULL AND last_uploaded_at < ?
           ORDER BY last_uploaded_at LIMIT ?`,
          )
          .all(cutoff, limit) as { id: string }[];
        const claim = this.db.prepare('UPDATE attachment_files SET sweeping_at = ? WHERE id = ?');
        for (const { id } of fresh) claim.run(at, id);
        return [
          ...stale.map((r) => ({ id: r.id, claimedAt: r.sweeping_at })),
          ...fresh.map((r) => ({ id: r.id, claimedAt: at })),
        ];
      })
      .immediate();
  }

  /** After the claimed file's bytes are gone: its rows go too (unless an upload took it over meanwhile). */
  forget(id: string, claimedAt: number): void {
    this.db.transaction(() => {
      if (this.db.prepare('DELETE FROM attachment_files WHERE id = ? AND sweeping_at = ?').run(id, claimedAt).changes)
        this.db.prepare('DELETE FROM attachment_uploads WHERE id = ?').run(id);
    })();
  }

  close(): void {
    this.db.close();
  }
}
