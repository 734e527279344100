import type Database from 'better-sqlite3';
import { NOTIFYING_EVENT_TYPES } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import { Projection, statement } from '@duban/projections';

/**
 * A transactional outbox: every event that notifies someone is written here in the same transaction as
 * the checkpoint, so a crash between reading an event and queueing its deliveries loses nothing. The
 * dispatcher routes each row (policy + unit directory) into delivery jobs and marks it dispatched.
 */
export const outboxProjection: Projection = {
  name: 'outbox',
  version: 2,
  schema: [
    `CREATE TABLE IF NOT EXISTS outbox (
      event_id TEXT PRIMARY KEY, position INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL,
      dispatched INTEGER NOT NULL DEFAULT 0
    )`,
    'CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (position) WHERE dispatched = 0',
  ],
  handles: new Set(NOTIFYING_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    statement(
      db,
      'INSERT OR IGNORE INTO outbox (event_id, position, type, data, recorded_at) VALUES (?, ?, ?, ?, ?)',
    ).run(event.id, event.position, event.type, JSON.stringify(event.data), event.metadata.recordedAt);
  },
};

export interface OutboxRow {
  event_id: string;
  position: number;
  type: string;
  data: string;
  recorded_at: string;
  dispatched: number;
}
