import type Database from 'better-sqlite3';
import { CALENDAR_EVENT_TYPES } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import { Projection, statement } from '@duban/projections';

/**
 * The year schedules loaded since the worker last re-derived deadlines: written with the checkpoint, so a
 * change seen is never forgotten, and marked done only once every deadline through that year was counted again.
 */
export const calendarChangesProjection: Projection = {
  name: 'calendar-changes',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS calendar_changes (
      event_id TEXT PRIMARY KEY, year INTEGER NOT NULL, position INTEGER NOT NULL, done INTEGER NOT NULL DEFAULT 0
    )`,
    'CREATE INDEX IF NOT EXISTS calendar_changes_pending ON calendar_changes (position) WHERE done = 0',
  ],
  handles: new Set(CALENDAR_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    statement(db, 'INSERT OR IGNORE INTO calendar_changes (event_id, year, position) VALUES (?, ?, ?)').run(
      event.id,
      (event.data as { year: number }).year,
      event.position,
    );
  },
};
