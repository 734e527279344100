import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@duban/event-store';
import { Projection, statement } from '@duban/projections';
import type { TriggerRule } from './consequence-rules';

const TRIGGER_EVENT_TYPES = ['IssueListed', 'FindingRecorded', 'ProgressReminderSent'];

/** Which rule an event triggers, if any. */
function ruleOf(event: RecordedEvent): TriggerRule | null {
  const data = event.data as { list?: string; kind?: string };
  if (event.type === 'IssueListed') return data.list === 'black' ? 'black_list' : null;
  if (event.type === 'FindingRecorded')
    return data.kind === 'falsified' || data.kind === 'perfunctory' ? data.kind : null;
  return event.type === 'ProgressReminderSent' ? 'missed_progress' : null;
}

/**
 * The events consequences follow from, written with the checkpoint so a trigger seen is never forgotten, and
 * marked done only once all of its steps ran or were skipped (a SIGKILL midway leaves it pending). Missed
 * monthly reports are counted per issue; each trigger keeps the count it brought the issue to.
 */
export const consequenceTriggersProjection: Projection = {
  name: 'consequence-triggers',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS consequence_triggers (
      event_id TEXT PRIMARY KEY, issue_id TEXT NOT NULL, rule TEXT NOT NULL, position INTEGER NOT NULL,
      misses INTEGER NOT NULL DEFAULT 0, done INTEGER NOT NULL DEFAULT 0, outcome TEXT
    )`,
    'CREATE INDEX IF NOT EXISTS consequence_triggers_pending ON consequence_triggers (position) WHERE done = 0',
    'CREATE TABLE IF NOT EXISTS consequence_misses (issue_id TEXT PRIMARY KEY, count INTEGER NOT NULL)',
  ],
  handles: new Set(TRIGGER_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    const rule = ruleOf(event);
    if (!rule) return;
    const issueId = (event.data as { issueId: string }).issueId;
    let misses = 0;
    if (rule === 'missed_progress') {
      statement(
        db,
        'INSERT INTO consequence_misses (issue_id, count) VALUES (?, 1) ON CONFLICT (issue_id) DO UPDATE SET count = count + 1',
      ).run(issueId);
      misses = (
        statement(db, 'SELECT count FROM consequence_misses WHERE issue_id = ?').get(issueId) as {
          count: number;
        }
      ).count;
    }
    statement(
      db,
      'INSERT OR IGNORE INTO consequence_triggers (event_id, issue_id, rule, position, misses) VALUES (?, ?, ?, ?, ?)',
    ).run(event.id, issueId, rule, event.position, misses);
  },
};
