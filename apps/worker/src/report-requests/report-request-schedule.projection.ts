import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@duban/event-store';
import { Projection, statement } from '@duban/projections';

/**
 * What the worker needs to chase a report request: its creation and due instants, how many units have not
 * reported, whether the overdue ones are recorded, and whether its jobs were queued since this file was made
 * (the reconciler queues them again in any case: the job ids are deterministic).
 */
export const reportRequestScheduleProjection: Projection = {
  name: 'report-request-schedule',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS report_request_schedule (
      id TEXT PRIMARY KEY, created_at TEXT NOT NULL, due_at TEXT NOT NULL, missing INTEGER NOT NULL,
      overdue_recorded INTEGER NOT NULL DEFAULT 0, scheduled INTEGER NOT NULL DEFAULT 0
    )`,
    'CREATE INDEX IF NOT EXISTS report_request_schedule_pending ON report_request_schedule (id) WHERE scheduled = 0',
  ],
  handles: new Set(['ReportRequestCreated', 'UnitReportSubmitted', 'UnitReportsOverdue']),
  apply(db: Database.Database, event: RecordedEvent) {
    const d = event.data;
    if (event.type === 'ReportRequestCreated')
      statement(
        db,
        'INSERT OR IGNORE INTO report_request_schedule (id, created_at, due_at, missing) VALUES (?, ?, ?, ?)',
      ).run(d.reportRequestId, d.at, d.dueAt, (d.unitIds as string[]).length);
    if (event.type === 'UnitReportSubmitted')
      statement(db, 'UPDATE report_request_schedule SET missing = missing - 1 WHERE id = ?').run(d.reportRequestId);
    if (event.type === 'UnitReportsOverdue')
      statement(db, 'UPDATE report_request_schedule SET overdue_recorded = 1 WHERE id = ?').run(d.reportRequestId);
  },
};

export interface ReportRequestScheduleRow {
  id: string;
  created_at: string;
  due_at: string;
  missing: number;
  overdue_recorded: number;
  scheduled: number;
}
