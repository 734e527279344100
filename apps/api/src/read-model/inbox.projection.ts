import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '@duban/projections';

const LEVELS: Record<number, string> = { 1: '督办', 2: '重点督办', 3: '约谈', 4: '问责' };

/**
 * The in-app inbox: one row per notification per recipient unit, derived from the events that
 * concern a unit (an assignment, a reminder, an escalation). The deadline worker's delivery
 * channels (webhook, email) come on top of the same events.
 */
export const inboxProjection: Projection = {
  name: 'inbox',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS inbox (
      id TEXT PRIMARY KEY, unit_id TEXT NOT NULL, kind TEXT NOT NULL, issue_id TEXT NOT NULL, title TEXT NOT NULL,
      body TEXT NOT NULL, created_at TEXT NOT NULL, position INTEGER NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS inbox_unit ON inbox (unit_id, position)',
  ],
  handles: new Set(['IssueAssigned', 'ReminderSent', 'IssueEscalated']),
  apply(db: Database.Database, event: RecordedEvent) {
    const d = event.data;
    const title = (db.prepare('SELECT title FROM issues WHERE id = ?').get(d.issueId) as { title: string } | undefined)?.title ?? d.issueId;
    const insert = db.prepare('INSERT OR IGNORE INTO inbox (id, unit_id, kind, issue_id, title, body, created_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const notify = (unitId: string, kind: string, body: string) => insert.run(`${event.id}:${unitId}`, unitId, kind, d.issueId, title, body, d.at, event.position);
    switch (event.type) {
      case 'IssueAssigned':
        notify(d.leadUnitId, 'assigned', `交办：请于 ${d.deadline} 前整改到位 (assigned as lead unit, deadline ${d.deadline})`);
        for (const unitId of d.coUnitIds as string[]) notify(unitId, 'assigned', `协办：牵头单位 ${d.leadUnitId} (assigned as co-unit)`);
        return;
      case 'ReminderSent':
        notify(d.leadUnitId, 'reminder', `提醒：整改时限 ${d.deadline} (reminder ${d.offset} before the deadline)`);
        return;
      case 'IssueEscalated':
        notify(d.leadUnitId, 'escalation', `${LEVELS[d.level as number] ?? d.level}：${d.reason} (escalated to level ${d.level})`);
        return;
    }
  },
};
