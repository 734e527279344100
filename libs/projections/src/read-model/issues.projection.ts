import type Database from 'better-sqlite3';
import { evolveIssue, initialIssueState, ISSUE_EVENT_TYPES, IssueEvent, IssueState } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { BatchContext, Projection } from '../projection';
import { perConnection, statement } from '../statements';
import { agencyDayOf, closeMs, ISSUE_COUNTS_INDEXES, ISSUE_COUNTS_SCHEMA, IssueCountsDelta } from './issue-counts';
import { ISSUE_FACTS_INDEXES, ISSUE_FACTS_SCHEMA, IssueFactsBatch } from './issue-facts';

/**
 * the issues in flight, and more; past it the least recently changed are dropped (a rebuild saves their held-back
 * state then) and re-read on demand, so RSS stays bounded however long the log
 */
const CACHED_STATES = 5_000;

/**
 * counter cells (issue_counts, issue_count_days, issue_breakdowns, issue_fact_sums) a rebuild adds up in memory
 * across batches; past it they are written out early, so RSS stays bounded however long the log
 */
const HELD_CELLS = 50_000;

/** An issue as the projection last left it: its folded state and its row's sequence number (null before its first write). */
interface Folded {
  state: IssueState;
  seq: number | null;
  /** a rebuild's batch left the state out of issue_states: it is written when the issue leaves the cache, or at the end */
  unsaved?: boolean;
  /**
   * a rebuild's counters still hold this earlier state's contribution: it is moved to the current state's once, when
   * the issue leaves the cache or at the end, instead of once per batch that touched the issue
   */
  counted?: IssueState;
}

/** Writes a folded state a rebuild held back (the issue's row, and so its seq, were written by an earlier flush). */
function saveState(db: Database.Database, issue: Folded): void {
  statement(
    db,
    'INSERT INTO issue_states (seq, state) VALUES (?, ?) ON CONFLICT (seq) DO UPDATE SET state = excluded.state',
  ).run(issue.seq, JSON.stringify(issue.state));
  issue.unsaved = false;
}

/**
 * Folded states kept per connection (a rebuild's connection has its own), so an event costs no read and no JSON.parse.
 * `release` writes what a rebuild held back of an issue, when it leaves the cache or at the end.
 */
function stateCache(cachedStates: number, release: (db: Database.Database, issue: Folded) => void) {
  const folded = perConnection(() => new Map<string, Folded>());
  return {
    before(db: Database.Database, id: string): Folded {
      const cached = folded.of(db).get(id);
      if (cached) return cached;
      const row = statement(
        db,
        'SELECT s.seq, s.state FROM issue_rows r JOIN issue_states s ON s.seq = r.seq WHERE r.id = ?',
      ).get(id) as { seq: number; state: string } | undefined;
      return row
        ? { state: JSON.parse(row.state) as IssueState, seq: row.seq }
        : { state: initialIssueState(), seq: null };
    },
    remember(db: Database.Database, id: string, issue: Folded): void {
      const cache = folded.of(db);
      cache.delete(id); // re-inserted last: the Map's order makes the oldest the first to go
      cache.set(id, issue);
    },
    /** After a flush (every row written): drops the least recently changed past the bound, saving held-back states. */
    trim(db: Database.Database): void {
      const cache = folded.of(db);
      for (const [id, issue] of cache) {
        if (cache.size <= cachedStates) break;
        release(db, issue);
        cache.delete(id);
      }
    },
    /** Writes everything held back (the rebuild is done), keeping the states cached. */
    settle(db: Database.Database): void {
      for (const issue of folded.of(db).values()) release(db, issue);
    },
    forget: folded.forget,
  };
}

const COLUMNS = {
  status: (s: IssueState) => s.status,
  category: (s: IssueState) => s.category,
  priority: (s: IssueState) => s.priority,
  lead_unit_id: (s: IssueState) => s.leadUnitId,
  // normalised to UTC so SQL can compare deadlines as text
  deadline: (s: IssueState) => (s.deadline ? new Date(s.deadline).toISOString() : null),
  deadline_version: (s: IssueState) => s.deadlineVersion,
  escalation_level: (s: IssueState) => s.escalationLevel,
  assigned_at: (s: IssueState) => s.assignedAt,
  closed_at: (s: IssueState) => s.closedAt,
  closed_on_time: (s: IssueState) => (s.closedOnTime === null ? null : s.closedOnTime ? 1 : 0),
  close_ms: (s: IssueState) => (s.closedAt ? closeMs(s) : null),
  results: (s: IssueState) => s.results.length,
  last_verdict: (s: IssueState) => s.assessments[s.assessments.length - 1]?.verdict ?? null,
  // 回访: the reporter's latest verdict counts
  last_reporter_verdict: (s: IssueState) => s.reporterFeedback?.[s.reporterFeedback.length - 1]?.verdict ?? null,
  findings: (s: IssueState) => s.findings.length,
  accountability: (s: IssueState) => s.accountability.length,
  lists: (s: IssueState) => s.lists.length,
  // a programme's tasks (GET /programmes/:id, GET /issues?programmeId=)
  programme_id: (s: IssueState) => s.programmeId ?? null,
  programme_phase: (s: IssueState) => s.phase ?? null,
  // the intake fields lists filter on (GET /issues?kind=&backlog=&reference=&accused=&forwarded=)
  kind: (s: IssueState) => s.kind ?? 'problem',
  backlog: (s: IssueState) => (s.backlog ? 1 : 0),
  reference: (s: IssueState) => s.reference ?? null,
  accused_unit_id: (s: IssueState) => s.accused?.unitId ?? null,
  accused_text: (s: IssueState) => accusedText(s),
  forwarded: (s: IssueState) => (s.forwardedBy ? 1 : 0),
  // statistics: byMode, resolved / resolvedOnSpot, reopened, red and black lists, missed progress reports
  mode: (s: IssueState) => s.mode,
  resolution: (s: IssueState) => s.resolution ?? null,
  reopened: (s: IssueState) => (s.deadlineHistory.some((d) => d.because === 'reopened') ? 1 : 0),
  red_listed: (s: IssueState) => (s.lists.some((l) => l.list === 'red') ? 1 : 0),
  black_listed: (s: IssueState) => (s.lists.some((l) => l.list === 'black') ? 1 : 0),
  missed_progress: (s: IssueState) => s.progressRequests.filter((r) => r.remindedAt !== null).length,
};

/** 被反映单位/人 as one searchable text: the unit's name (outside the directory) and the person, lower-cased. */
function accusedText(s: IssueState): string | null {
  const words = [s.accused?.name, s.accused?.person].filter((w): w is string => !!w);
  return words.length ? words.join(' ').toLowerCase() : null;
}
const NAMES = Object.keys(COLUMNS) as (keyof typeof COLUMNS)[];
const GETTERS = NAMES.map((n) => COLUMNS[n]);

/**
 * One row per issue for lists, filters and statistics, derived by folding the issue's events with
 * the domain's own `evolveIssue` (the folded state is kept beside the row, so the read model can
 * never disagree with the decider); the figures that statistics and lists filter on are columns of their
 * own, so no query parses JSON, and counters per unit, source, month and status (`issue_counts.ts`)
 * answer statistics without scanning the issues. `registered_month` is the month in the agency's time zone (a
 * different TZ_AGENCY is a different projection version: the runner rebuilds). Full-text search over
 * title and description uses FTS5's trigram tokenizer, which matches Chinese substrings of three
 * characters or more.
 */
/** The units an issue involves, by role: a change relinks it in issue_units. */
const unitsOf = (s: IssueState) => `${s.leadUnitId ?? ''}|${s.coUnitIds.join()}|${(s.responsibleUnitIds ?? []).join()}`;
const NO_UNITS = unitsOf(initialIssueState());

/** The issue's accountability records as rows (a person's name trimmed, so the same person counts once). */
function recordAccountability(db: Database.Database, id: string, state: IssueState): void {
  statement(db, 'DELETE FROM issue_accountability WHERE issue_id = ?').run(id);
  const insert = statement(
    db,
    'INSERT INTO issue_accountability (issue_id, measure, target_kind, name, unit_id, at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const { measure, target, at } of state.accountability)
    insert.run(id, measure, target.kind, target.name?.trim() ?? null, target.unitId ?? null, at);
}

const ISSUES_SCHEMA = [
  // `seq` numbers issues in the order they were registered (the same in every rebuild): rows and
  // states are keyed by it, so the issues in flight sit together at the tail of each table
  `CREATE TABLE IF NOT EXISTS issue_rows (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, status TEXT NOT NULL, source TEXT NOT NULL, category TEXT NOT NULL, priority TEXT NOT NULL,
    title TEXT NOT NULL, lead_unit_id TEXT, deadline TEXT, deadline_version INTEGER NOT NULL, escalation_level INTEGER NOT NULL,
    registered_at TEXT NOT NULL, registered_month TEXT NOT NULL, assigned_at TEXT, closed_at TEXT, closed_on_time INTEGER, close_ms INTEGER,
    results INTEGER NOT NULL, last_verdict TEXT, last_reporter_verdict TEXT, findings INTEGER NOT NULL, accountability INTEGER NOT NULL, lists INTEGER NOT NULL,
    updated_at TEXT NOT NULL, revision INTEGER NOT NULL, position INTEGER NOT NULL, programme_id TEXT, programme_phase TEXT,
    kind TEXT NOT NULL, backlog INTEGER NOT NULL, reference TEXT, accused_unit_id TEXT, accused_text TEXT, forwarded INTEGER NOT NULL,
    mode TEXT, resolution TEXT, reopened INTEGER NOT NULL, red_listed INTEGER NOT NULL, black_listed INTEGER NOT NULL, missed_progress INTEGER NOT NULL
  )`,
  // the folded state lives apart, so scans for lists and statistics read narrow rows
  'CREATE TABLE IF NOT EXISTS issue_states (seq INTEGER PRIMARY KEY, state TEXT NOT NULL)',
  // queries that need the state read `issues`; statistics read `issue_rows` alone
  'CREATE VIEW IF NOT EXISTS issues AS SELECT r.*, s.state FROM issue_rows r LEFT JOIN issue_states s ON s.seq = r.seq',
  // keyed by (unit_id, seq): a unit's issues read in registration order, so its list stops at the page instead of sorting them
  'CREATE TABLE IF NOT EXISTS issue_units (unit_id TEXT NOT NULL, seq INTEGER NOT NULL, issue_id TEXT NOT NULL, role TEXT NOT NULL, PRIMARY KEY (unit_id, seq)) WITHOUT ROWID',
  'CREATE INDEX IF NOT EXISTS issue_units_issue ON issue_units (issue_id)',
  // 责任追究 records one row each, so statistics count the people dealt with without parsing states
  'CREATE TABLE IF NOT EXISTS issue_accountability (issue_id TEXT NOT NULL, measure TEXT NOT NULL, target_kind TEXT NOT NULL, name TEXT, unit_id TEXT, at TEXT NOT NULL)',
  'CREATE INDEX IF NOT EXISTS issue_accountability_issue ON issue_accountability (issue_id)',
  // full text keyed by the issue's seq (its rowid), so matches join the rows without an index lookup
  "CREATE VIRTUAL TABLE IF NOT EXISTS issues_fts USING fts5(title, description, tokenize = 'trigram')",
  // 联合交办: the partner agencies of each issue's assignment in force, for byPartnerAgency
  'CREATE TABLE IF NOT EXISTS issue_partner_agencies (agency TEXT NOT NULL, issue_id TEXT NOT NULL, PRIMARY KEY (agency, issue_id)) WITHOUT ROWID',
  ...ISSUE_COUNTS_SCHEMA,
  ...ISSUE_FACTS_SCHEMA,
];

const ISSUES_QUERY_INDEXES = [
  'CREATE INDEX IF NOT EXISTS issues_registered ON issue_rows (registered_at, id)',
  'CREATE INDEX IF NOT EXISTS issues_status ON issue_rows (status, deadline)',
  // a status's issues in registration order (an index ends with the rowid, seq): a list by status stops at its page
  'CREATE INDEX IF NOT EXISTS issues_status_seq ON issue_rows (status)',
  // unit-scoped statistics reach the rows by id (issue_units names them): their filters come from here, not the wide row
  'CREATE INDEX IF NOT EXISTS issues_id_status ON issue_rows (id, status, deadline, revision)',
  // statistics count by these: each GROUP BY reads a small covering index instead of the table
  'CREATE INDEX IF NOT EXISTS issues_source ON issue_rows (source)',
  'CREATE INDEX IF NOT EXISTS issues_lead_unit ON issue_rows (lead_unit_id)',
  'CREATE INDEX IF NOT EXISTS issues_month ON issue_rows (registered_month)',
  // a programme's tasks in registration order (the implicit rowid): its list stops at the page
  'CREATE INDEX IF NOT EXISTS issues_programme ON issue_rows (programme_id) WHERE programme_id IS NOT NULL',
  'CREATE INDEX IF NOT EXISTS issues_category ON issue_rows (category)',
  'CREATE INDEX IF NOT EXISTS issues_mode ON issue_rows (mode) WHERE mode IS NOT NULL',
  'CREATE INDEX IF NOT EXISTS issues_reference ON issue_rows (reference) WHERE reference IS NOT NULL',
  'CREATE INDEX IF NOT EXISTS issues_accused_unit ON issue_rows (accused_unit_id) WHERE accused_unit_id IS NOT NULL',
  'CREATE INDEX IF NOT EXISTS issue_partner_agencies_issue ON issue_partner_agencies (issue_id)',
  ...ISSUE_FACTS_INDEXES,
  ...ISSUE_COUNTS_INDEXES,
];

const INSERT_ROW = `INSERT INTO issue_rows (id, source, title, registered_at, registered_month, updated_at, revision, position, ${NAMES.join(', ')})
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${NAMES.map(() => '?').join(', ')})`;
const UPDATE_ROW = `UPDATE issue_rows SET updated_at = ?, revision = ?, position = ?, ${NAMES.map((n) => `${n} = ?`).join(', ')} WHERE seq = ?`;

interface Change {
  before: IssueState;
  after: Folded;
  event: RecordedEvent;
}

/**
 * One issue's rows for one batch: the narrow row, its state, full text on registration, its accountability and units.
 * A rebuild (`holdState`) leaves the 2 KB state in memory: the cache saves it once, when the issue leaves it.
 */
function writeIssue(
  db: Database.Database,
  id: string,
  { before, after, event }: Change,
  monthOf: (s: IssueState) => string,
  holdState: boolean,
) {
  const { state } = after;
  const columns = GETTERS.map((get) => get(state));
  const meta = [event.metadata.recordedAt, event.revision, event.position] as const;
  if (after.seq === null) {
    const row = [id, state.source, state.title, state.registeredAt, monthOf(state), ...meta, ...columns];
    after.seq = Number(statement(db, INSERT_ROW).run(...row).lastInsertRowid);
    if (!holdState)
      statement(db, 'INSERT INTO issue_states (seq, state) VALUES (?, ?)').run(after.seq, JSON.stringify(state));
    statement(db, 'INSERT INTO issues_fts (rowid, title, description) VALUES (?, ?, ?)').run(
      after.seq,
      state.title,
      state.description,
    );
  } else {
    statement(db, UPDATE_ROW).run(...meta, ...columns, after.seq);
    if (!holdState)
      statement(db, 'UPDATE issue_states SET state = ? WHERE seq = ?').run(JSON.stringify(state), after.seq);
  }
  after.unsaved = holdState;
  if (before.accountability.length !== state.accountability.length) recordAccountability(db, id, state);
  if (unitsOf(before) !== unitsOf(state)) linkUnits(db, id, after.seq, before, state);
  if ((before.partnerAgencies ?? []).join('|') !== (state.partnerAgencies ?? []).join('|'))
    linkPartnerAgencies(db, id, state);
}

function linkPartnerAgencies(db: Database.Database, id: string, state: IssueState): void {
  statement(db, 'DELETE FROM issue_partner_agencies WHERE issue_id = ?').run(id);
  const link = statement(db, 'INSERT OR IGNORE INTO issue_partner_agencies (agency, issue_id) VALUES (?, ?)');
  for (const agency of state.partnerAgencies ?? []) link.run(agency, id);
}

/** Each unit once, in its first role (lead, co, responsible). */
function linkUnits(db: Database.Database, id: string, seq: number, before: IssueState, state: IssueState): void {
  // an issue first assigned has no links yet (most issues, catching up): no index lookup to delete nothing
  if (unitsOf(before) !== NO_UNITS) statement(db, 'DELETE FROM issue_units WHERE issue_id = ?').run(id);
  const link = statement(db, 'INSERT OR IGNORE INTO issue_units (unit_id, seq, issue_id, role) VALUES (?, ?, ?, ?)');
  if (state.leadUnitId) link.run(state.leadUnitId, seq, id, 'lead');
  for (const unitId of state.coUnitIds) link.run(unitId, seq, id, 'co');
  for (const unitId of state.responsibleUnitIds ?? []) link.run(unitId, seq, id, 'responsible');
}

/**
 * `cachedStates`: how many folded states stay in memory; `heldCells`: how many counter cells a rebuild holds back
 * (a test makes them small to make a small log evict and write out early)
 */
export function issuesProjection(
  timeZone: string,
  { cachedStates = CACHED_STATES, heldCells = HELD_CELLS } = {},
): Projection {
  const counts = perConnection(() => new IssueCountsDelta(timeZone));
  const states = stateCache(cachedStates, (db, issue) => {
    if (issue.unsaved) saveState(db, issue);
    if (issue.counted) counts.of(db).move(issue.counted, issue.state);
    issue.counted = undefined;
  });
  const dayOf = agencyDayOf(timeZone);
  const monthOf = (s: IssueState) => dayOf(s.registeredAt!).slice(0, 7);
  /** what this batch changed, per issue: the state before the batch (for issue_units) and after */
  const changes = perConnection(() => new Map<string, Change>());
  const facts = perConnection(() => new IssueFactsBatch(timeZone));
  const writeSums = (db: Database.Database) => {
    counts.of(db).write(db);
    facts.of(db).writeSums(db);
  };
  return {
    name: 'issues',
    version: `15 ${timeZone}`,
    schema: ISSUES_SCHEMA,
    queryIndexes: ISSUES_QUERY_INDEXES,
    handles: new Set(ISSUE_EVENT_TYPES),
    apply(db: Database.Database, event: RecordedEvent) {
      const id = (event.data as { issueId: string }).issueId;
      const issue = states.before(db, id);
      const before = issue.state;
      issue.state = evolveIssue(before, { type: event.type, data: event.data } as IssueEvent);
      states.remember(db, id, issue);
      facts.of(db).record(id, before, issue.state, (event.data as { at: string }).at);
      const pending = changes.of(db);
      const change = pending.get(id);
      if (change) change.event = event;
      else pending.set(id, { before, after: issue, event });
    },
    // Rows are written once per batch however many of the issue's events the batch held: catching
    // up in batches of thousands, most issues' several events collapse into one row write.
    // A rebuild's scratch batches keep the counter sums in memory (most cells are touched by many batches) and
    // write them when settled, or early past `heldCells`.
    flush(db: Database.Database, batch?: BatchContext) {
      const pending = changes.of(db);
      const delta = counts.of(db);
      const scratch = batch?.scratch ?? false;
      for (const [id, change] of pending) {
        if (!scratch) delta.move(change.before, change.after.state);
        else change.after.counted ??= change.before;
        writeIssue(db, id, change, monthOf, scratch);
      }
      facts.of(db).write(db, pending);
      if (!scratch || delta.size + facts.of(db).size > heldCells) writeSums(db);
      pending.clear();
      states.trim(db);
    },
    settle(db: Database.Database) {
      states.settle(db);
      writeSums(db);
    },
    discard(db: Database.Database) {
      states.forget(db);
      changes.forget(db);
      facts.forget(db);
      counts.forget(db);
    },
  };
}
