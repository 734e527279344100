import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@duban/event-store';
import { Projection, statement } from '@duban/projections';

/**
 * The worker's view of every assigned issue: its running deadline and how far the ladder has gone. The
 * scheduler and the reconciler read it; `scheduled_version` (which deadline version's jobs are in Redis)
 * is the scheduler's own bookkeeping, written outside the projection.
 */
export const deadlinesProjection: Projection = {
  name: 'deadlines',
  version: 2,
  schema: [
    `CREATE TABLE IF NOT EXISTS deadlines (
      issue_id TEXT PRIMARY KEY, status TEXT NOT NULL, lead_unit_id TEXT NOT NULL, deadline TEXT NOT NULL,
      deadline_version INTEGER NOT NULL, deadline_set_at TEXT NOT NULL, escalation_level INTEGER NOT NULL DEFAULT 0,
      reminded TEXT NOT NULL DEFAULT '[]', open INTEGER NOT NULL, scheduled_version INTEGER NOT NULL DEFAULT 0,
      dirty INTEGER NOT NULL DEFAULT 1, progress_month TEXT
    )`,
    // the scheduler's work list: deadlines whose jobs must change (a new version, a stopped deadline)
    'CREATE INDEX IF NOT EXISTS deadlines_dirty ON deadlines (issue_id) WHERE dirty = 1',
    'CREATE INDEX IF NOT EXISTS deadlines_open ON deadlines (open, issue_id)',
  ],
  handles: new Set([
    'IssueAssigned',
    'ExtensionApproved',
    'IssueReopened',
    'PlanSubmitted',
    'ProgressReported',
    'ResultReported',
    'ResultAssessed',
    'IssueClosed',
    'IssueWithdrawn',
    'IssueEscalated',
    'ReminderSent',
    'ProgressRequested',
  ]),
  apply(db: Database.Database, event: RecordedEvent) {
    const d = event.data;
    const set = (sql: string, ...values: unknown[]) =>
      statement(db, `UPDATE deadlines SET ${sql} WHERE issue_id = ?`).run(...values, d.issueId);
    switch (event.type) {
      case 'IssueAssigned':
        // a first assignment, or 改派 (re-assignment: a new lead unit and a new deadline version)
        statement(
          db,
          `INSERT INTO deadlines (issue_id, status, lead_unit_id, deadline, deadline_version, deadline_set_at, open, reminded, dirty)
           VALUES (?, 'assigned', ?, ?, ?, ?, 1, '[]', 1)
           ON CONFLICT (issue_id) DO UPDATE SET status = 'assigned', lead_unit_id = excluded.lead_unit_id, deadline = excluded.deadline,
             deadline_version = excluded.deadline_version, deadline_set_at = excluded.deadline_set_at, open = 1, reminded = '[]', dirty = 1`,
        ).run(d.issueId, d.leadUnitId, d.deadline, d.deadlineVersion, d.at);
        return;
      case 'ExtensionApproved':
        set(
          "deadline = ?, deadline_version = ?, deadline_set_at = ?, reminded = '[]', dirty = 1",
          d.deadline,
          d.deadlineVersion,
          d.at,
        );
        return;
      case 'IssueReopened':
        set(
          "status = 'reopened', deadline = ?, deadline_version = ?, deadline_set_at = ?, reminded = '[]', open = 1, dirty = 1",
          d.deadline,
          d.deadlineVersion,
          d.at,
        );
        return;
      case 'PlanSubmitted':
      case 'ProgressReported':
        set("status = 'in_progress'");
        return;
      case 'ResultReported':
        set("status = 'result_reported', open = 0, dirty = 1");
        return;
      case 'ResultAssessed':
        // unsatisfied is followed by IssueReopened in the same append
        if (d.verdict !== 'unsatisfied') set("status = 'accepted', open = 0, dirty = 1");
        return;
      case 'IssueClosed':
        set("status = 'closed', open = 0, dirty = 1");
        return;
      case 'IssueWithdrawn':
        set("status = 'withdrawn', open = 0, dirty = 1");
        return;
      case 'IssueEscalated':
        set('escalation_level = MAX(escalation_level, ?)', d.level);
        return;
      case 'ReminderSent':
        statement(
          db,
          "UPDATE deadlines SET reminded = json_insert(reminded, '$[#]', ?) WHERE issue_id = ? AND deadline_version = ?",
        ).run(d.offset, d.issueId, d.deadlineVersion);
        return;
      case 'ProgressRequested':
        set('progress_month = ?', d.month);
        return;
    }
  },
};

export interface DeadlineRow {
  issue_id: string;
  status: string;
  lead_unit_id: string;
  deadline: string;
  deadline_version: number;
  deadline_set_at: string;
  escalation_level: number;
  reminded: string;
  open: number;
  scheduled_version: number;
  dirty: number;
  progress_month: string | null;
}
