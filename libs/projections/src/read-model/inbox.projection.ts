import type Database from 'better-sqlite3';
import { NotificationPolicy, notificationsFor, NOTIFYING_EVENT_TYPES } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { statement } from '../statements';

/**
 * The in-app inbox: one row per notification per recipient unit, routed by the same policy as the
 * worker's webhook and e-mail channels (`notificationsFor`), so every channel agrees on who was told
 * what. Office notifications with no office unit configured have no unit: registrars and admins see them.
 * Reads are events too (NotificationRead), so a rebuild restores them.
 */
export function inboxProjection(policy: NotificationPolicy): Projection {
  return {
    name: 'inbox',
    version: 3,
    schema: [
      `CREATE TABLE IF NOT EXISTS inbox (
        id TEXT PRIMARY KEY, unit_id TEXT, kind TEXT NOT NULL, role TEXT NOT NULL, proposal TEXT, issue_id TEXT NOT NULL,
        title TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, position INTEGER NOT NULL
      )`,
      'CREATE TABLE IF NOT EXISTS inbox_reads (notification_id TEXT NOT NULL, user_id TEXT NOT NULL, read_at TEXT NOT NULL, PRIMARY KEY (notification_id, user_id)) WITHOUT ROWID',
    ],
    queryIndexes: [
      'CREATE INDEX IF NOT EXISTS inbox_unit ON inbox (unit_id, position)',
      'CREATE INDEX IF NOT EXISTS inbox_position ON inbox (position)',
    ],
    handles: new Set([...NOTIFYING_EVENT_TYPES, 'NotificationRead']),
    apply(db: Database.Database, event: RecordedEvent) {
      const d = event.data;
      if (event.type === 'NotificationRead') {
        statement(db, 'INSERT OR IGNORE INTO inbox_reads (notification_id, user_id, read_at) VALUES (?, ?, ?)').run(
          d.notificationId,
          d.userId,
          d.at,
        );
        return;
      }
      const directory = {
        parentOf: (id: string) =>
          (
            statement(db, 'SELECT parent_id FROM units WHERE id = ?').get(id) as
              { parent_id: string | null } | undefined
          )?.parent_id ?? null,
        idOfCode: (code: string) =>
          (statement(db, 'SELECT id FROM units WHERE code = ?').get(code) as { id: string } | undefined)?.id ?? null,
      };
      // a notice or a report request carries its own title; an issue's is the one the issues projection wrote
      const title =
        event.type === 'NoticePublished' || d.reportRequestId !== undefined
          ? (d.title as string)
          : ((
              statement(db, 'SELECT title FROM issue_rows WHERE id = ?').get(d.issueId) as { title: string } | undefined
            )?.title ?? d.issueId);
      const insert = statement(
        db,
        'INSERT OR IGNORE INTO inbox (id, unit_id, kind, role, proposal, issue_id, title, body, created_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      );
      for (const n of notificationsFor(event, policy, directory)) {
        insert.run(
          `${event.id}-${n.unitId ?? 'office'}`,
          n.unitId,
          n.kind,
          n.role,
          n.proposal,
          n.issueId,
          title,
          n.body,
          d.at,
          event.position,
        );
      }
    },
  };
}
