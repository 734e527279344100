import type Database from 'better-sqlite3';
import { evolveIssue, initialIssueState, ISSUE_EVENT_TYPES, IssueEvent, IssueState } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '@duban/projections';

/**
 * One row per issue for lists and filters, derived by folding the issue's events with the domain's
 * own `evolveIssue` (the folded state is kept in the row, so the read model can never disagree with
 * the decider). Full-text search over title and description uses FTS5's trigram tokenizer, which
 * matches Chinese substrings of three characters or more.
 */
export const issuesProjection: Projection = {
  name: 'issues',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS issues (
      id TEXT PRIMARY KEY, status TEXT NOT NULL, source TEXT NOT NULL, category TEXT NOT NULL, priority TEXT NOT NULL,
      title TEXT NOT NULL, lead_unit_id TEXT, deadline TEXT, deadline_version INTEGER NOT NULL, escalation_level INTEGER NOT NULL,
      registered_at TEXT NOT NULL, assigned_at TEXT, closed_at TEXT, updated_at TEXT NOT NULL,
      revision INTEGER NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS issues_registered ON issues (registered_at, id)',
    'CREATE INDEX IF NOT EXISTS issues_status ON issues (status, deadline)',
    'CREATE TABLE IF NOT EXISTS issue_units (issue_id TEXT NOT NULL, unit_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (unit_id, issue_id)) WITHOUT ROWID',
    "CREATE VIRTUAL TABLE IF NOT EXISTS issues_fts USING fts5(issue_id UNINDEXED, title, description, tokenize = 'trigram')",
  ],
  handles: new Set(ISSUE_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    const id = (event.data as { issueId: string }).issueId;
    const row = db.prepare('SELECT state FROM issues WHERE id = ?').get(id) as { state: string } | undefined;
    const before: IssueState = row ? JSON.parse(row.state) : initialIssueState();
    const state = evolveIssue(before, { type: event.type, data: event.data } as IssueEvent);
    db.prepare(
      `INSERT INTO issues (id, status, source, category, priority, title, lead_unit_id, deadline, deadline_version, escalation_level,
         registered_at, assigned_at, closed_at, updated_at, revision, position, state)
       VALUES (@id, @status, @source, @category, @priority, @title, @lead, @deadline, @deadlineVersion, @level, @registeredAt, @assignedAt, @closedAt, @updatedAt, @revision, @position, @state)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, category = excluded.category, priority = excluded.priority,
         lead_unit_id = excluded.lead_unit_id, deadline = excluded.deadline, deadline_version = excluded.deadline_version,
         escalation_level = excluded.escalation_level, assigned_at = excluded.assigned_at, closed_at = excluded.closed_at,
         updated_at = excluded.updated_at, revision = excluded.revision, position = excluded.position, state = excluded.state`,
    ).run({
      id,
      status: state.status,
      source: state.source,
      category: state.category,
      priority: state.priority,
      title: state.title,
      lead: state.leadUnitId,
      // normalised to UTC so SQL can compare deadlines as text
      deadline: state.deadline ? new Date(state.deadline).toISOString() : null,
      deadlineVersion: state.deadlineVersion,
      level: state.escalationLevel,
      registeredAt: state.registeredAt,
      assignedAt: state.assignedAt,
      closedAt: state.closedAt,
      updatedAt: event.metadata.recordedAt,
      revision: event.revision,
      position: event.position,
      state: JSON.stringify(state),
    });
    if (event.type === 'IssueRegistered') {
      db.prepare('INSERT INTO issues_fts (issue_id, title, description) VALUES (?, ?, ?)').run(id, state.title, state.description);
    }
    if (before.leadUnitId !== state.leadUnitId || before.coUnitIds.join() !== state.coUnitIds.join()) {
      db.prepare('DELETE FROM issue_units WHERE issue_id = ?').run(id);
      const insert = db.prepare('INSERT OR IGNORE INTO issue_units (issue_id, unit_id, role) VALUES (?, ?, ?)');
      if (state.leadUnitId) insert.run(id, state.leadUnitId, 'lead');
      for (const unitId of state.coUnitIds) insert.run(id, unitId, 'co');
    }
  },
};
