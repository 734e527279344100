import type Database from 'better-sqlite3';
import {
  DeadlineView,
  deadlineViewOf,
  evolveIssue,
  initialIssueState,
  ISSUE_EVENT_TYPES,
  IssueEvent,
  IssueState,
} from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import { perConnection, Projection, statement } from '@duban/projections';

/** the issues in flight, and more; past it the least recently changed are dropped and re-read on demand (RSS stays bounded) */
const CACHED_STATES = 10_000;

/** An issue's state folded from its stream up to `revision` (the revision of the last event folded in). */
export interface FoldedIssue {
  state: IssueState;
  revision: number;
}

/** What one batch changed for one issue: its view before the batch, and its state after. */
interface Change extends FoldedIssue {
  before: DeadlineView | null;
}

/** Folded states kept per connection (a rebuild's has its own), so an event costs no read and no JSON.parse. */
const cached = perConnection(() => new Map<string, FoldedIssue>());
const changes = perConnection(() => new Map<string, Change>());

/**
 * The issue as this read model has folded it (`undefined`: no event of it yet). The deadline processor decides
 * on it instead of re-reading the stream: the append expects `revision`, so a state that fell behind is refused.
 */
export function foldedIssue(db: Database.Database, issueId: string): FoldedIssue | undefined {
  const folded = changes.of(db).get(issueId) ?? cached.of(db).get(issueId);
  if (folded) return { state: folded.state, revision: folded.revision };
  const row = statement(db, 'SELECT state, revision FROM deadline_states WHERE issue_id = ?').get(issueId) as
    { state: string; revision: number } | undefined;
  return row && { state: JSON.parse(row.state) as IssueState, revision: row.revision };
}

function remember(db: Database.Database, issueId: string, folded: FoldedIssue): void {
  const cache = cached.of(db);
  cache.delete(issueId); // re-inserted last: the Map's order makes the oldest the first to go
  cache.set(issueId, folded);
  if (cache.size > CACHED_STATES) cache.delete(cache.keys().next().value!);
}

const sameView = (a: DeadlineView | null, b: DeadlineView | null) => JSON.stringify(a) === JSON.stringify(b);

const UPSERT_ROW = `INSERT INTO deadlines (issue_id, status, lead_unit_id, deadline, deadline_version, deadline_set_at,
    escalation_level, reminded, open, progress_month, dirty) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
  ON CONFLICT (issue_id) DO UPDATE SET status = excluded.status, lead_unit_id = excluded.lead_unit_id,
    deadline = excluded.deadline, deadline_version = excluded.deadline_version, deadline_set_at = excluded.deadline_set_at,
    escalation_level = excluded.escalation_level, reminded = excluded.reminded, open = excluded.open,
    progress_month = excluded.progress_month,
    dirty = CASE WHEN deadlines.deadline_version <> excluded.deadline_version OR deadlines.open <> excluded.open
      THEN 1 ELSE deadlines.dirty END`;

function writeRow(db: Database.Database, view: DeadlineView): void {
  statement(db, UPSERT_ROW).run(
    view.issueId,
    view.status,
    view.leadUnitId,
    view.deadline,
    view.deadlineVersion,
    view.setAt,
    view.escalationLevel,
    JSON.stringify(view.remindedOffsets),
    view.open ? 1 : 0,
    view.progressMonth,
  );
}

/**
 * The worker's view of every assigned issue: its running deadline and how far the ladder has gone, derived
 * by folding the issue's events with the domain's own `evolveIssue` and `deadlineViewOf` (the folded state
 * is kept in `deadline_states`), so the schedule cannot disagree with the decider. The scheduler and the
 * reconciler read the rows; `scheduled_version` (which deadline version's jobs are in Redis) is the
 * scheduler's own bookkeeping, and `dirty` marks the rows whose jobs must change (a new version, a stop).
 */
export const deadlinesProjection: Projection = {
  name: 'deadlines',
  version: 4,
  schema: [
    `CREATE TABLE IF NOT EXISTS deadlines (
      issue_id TEXT PRIMARY KEY, status TEXT NOT NULL, lead_unit_id TEXT NOT NULL, deadline TEXT NOT NULL,
      deadline_version INTEGER NOT NULL, deadline_set_at TEXT NOT NULL, escalation_level INTEGER NOT NULL DEFAULT 0,
      reminded TEXT NOT NULL DEFAULT '[]', open INTEGER NOT NULL, scheduled_version INTEGER NOT NULL DEFAULT 0,
      dirty INTEGER NOT NULL DEFAULT 1, progress_month TEXT
    )`,
    // every issue's folded state, assigned or not, and the stream revision it was folded up to: the next
    // event folds onto it, and the deadline processor decides on it
    'CREATE TABLE IF NOT EXISTS deadline_states (issue_id TEXT PRIMARY KEY, state TEXT NOT NULL, revision INTEGER NOT NULL)',
    // the scheduler's work list: deadlines whose jobs must change (a new version, a stopped deadline)
    'CREATE INDEX IF NOT EXISTS deadlines_dirty ON deadlines (issue_id) WHERE dirty = 1',
    'CREATE INDEX IF NOT EXISTS deadlines_open ON deadlines (open, issue_id)',
  ],
  // the deadline processor's search: the open deadlines whose step falls due in a job's window
  queryIndexes: ['CREATE INDEX IF NOT EXISTS deadlines_due ON deadlines (deadline) WHERE open = 1'],
  handles: new Set(ISSUE_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    const issueId = (event.data as { issueId: string }).issueId;
    const pending = changes.of(db);
    const before = foldedIssue(db, issueId)?.state ?? initialIssueState();
    const folded = {
      state: evolveIssue(before, { type: event.type, data: event.data } as IssueEvent),
      revision: event.revision,
    };
    remember(db, issueId, folded);
    const change = pending.get(issueId);
    if (change) Object.assign(change, folded);
    else pending.set(issueId, { before: deadlineViewOf(before), ...folded });
  },
  // each issue's state and row are written once per batch, however many of its events the batch held
  flush(db: Database.Database) {
    const pending = changes.of(db);
    const saveState = statement(
      db,
      `INSERT INTO deadline_states (issue_id, state, revision) VALUES (?, ?, ?)
        ON CONFLICT (issue_id) DO UPDATE SET state = excluded.state, revision = excluded.revision`,
    );
    for (const [issueId, { before, state, revision }] of pending) {
      saveState.run(issueId, JSON.stringify(state), revision);
      const view = deadlineViewOf(state);
      if (view && !sameView(before, view)) writeRow(db, view);
    }
    pending.clear();
  },
  discard(db: Database.Database) {
    cached.forget(db);
    changes.forget(db);
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
