import type Database from 'better-sqlite3';
import { attachmentIdsIn } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { statement } from '../statements';

/** The events that may reference evidence files (attachments, evidence): issues, and unit reports. */
const REFERENCING_EVENTS = [
  'IssueRegistered',
  'PlanSubmitted',
  'ProgressReported',
  'ResultReported',
  'FindingRecorded',
  'IssueResolvedOnSpot',
  'UnitReportSubmitted',
];

/**
 * Which streams reference which evidence file: who may download a file is whoever may read one of them
 * (an issue's unit scope; a unit report's unit). A file no row names is still its uploader's alone.
 */
export const attachmentReferencesProjection: Projection = {
  name: 'attachment-references',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS attachment_references (
      attachment_id TEXT NOT NULL, stream_id TEXT NOT NULL, unit_id TEXT, position INTEGER NOT NULL,
      PRIMARY KEY (attachment_id, stream_id, position)
    )`,
  ],
  handles: new Set(REFERENCING_EVENTS),
  apply(db: Database.Database, event: RecordedEvent) {
    const ids = attachmentIdsIn(event.data);
    if (ids.length === 0) return;
    const unitId = (event.data as { unitId?: unknown }).unitId;
    const insert = statement(
      db,
      'INSERT OR IGNORE INTO attachment_references (attachment_id, stream_id, unit_id, position) VALUES (?, ?, ?, ?)',
    );
    for (const id of ids) insert.run(id, event.streamId, typeof unitId === 'string' ? unitId : null, event.position);
  },
};

/** The streams (and, for unit reports, the unit) referencing a file; empty when none does. */
export function attachmentReferences(
  db: Database.Database,
  attachmentId: string,
): { streamId: string; unitId: string | null }[] {
  return (
    statement(
      db,
      'SELECT DISTINCT stream_id, unit_id FROM attachment_references WHERE attachment_id = ? ORDER BY stream_id',
    ).all(attachmentId) as { stream_id: string; unit_id: string | null }[]
  ).map((r) => ({ streamId: r.stream_id, unitId: r.unit_id }));
}
