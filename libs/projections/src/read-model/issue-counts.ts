import type Database from 'better-sqlite3';
import { OPEN_STATUSES, type IssueState } from '@duban/domain';
import { sqlList, statement } from '../statements';

/**
 * What statistics add up per issue, each defined twice side by side: over the folded state (for the
 * counters the projection keeps) and over `issue_rows` columns (for a query that must scan, e.g. a
 * `from`/`to` window). The stats tests hold the two to the same answers.
 */
export const ISSUE_COUNTERS = [
  { name: 'n', of: (_: IssueState) => 1, sql: '1' },
  { name: 'assigned', of: (s: IssueState) => (s.assignedAt ? 1 : 0), sql: 'assigned_at IS NOT NULL' },
  { name: 'reported', of: (s: IssueState) => (s.results.length > 0 ? 1 : 0), sql: 'results > 0' },
  {
    name: 'on_time',
    of: (s: IssueState) => (s.status === 'closed' && s.closedOnTime ? 1 : 0),
    sql: "status = 'closed' AND closed_on_time = 1",
  },
  { name: 'close_timed', of: (s: IssueState) => (s.closedAt ? 1 : 0), sql: 'closed_at IS NOT NULL' },
  { name: 'close_ms', of: closeMs, sql: 'coalesce(close_ms, 0)' },
  { name: 'l1', of: (s: IssueState) => (s.escalationLevel >= 1 ? 1 : 0), sql: 'escalation_level >= 1' },
  { name: 'l2', of: (s: IssueState) => (s.escalationLevel >= 2 ? 1 : 0), sql: 'escalation_level >= 2' },
  { name: 'l3', of: (s: IssueState) => (s.escalationLevel >= 3 ? 1 : 0), sql: 'escalation_level >= 3' },
  { name: 'l4', of: (s: IssueState) => (s.escalationLevel >= 4 ? 1 : 0), sql: 'escalation_level >= 4' },
  {
    name: 'satisfied',
    of: (s: IssueState) => (lastVerdict(s) === 'satisfied' ? 1 : 0),
    sql: "last_verdict = 'satisfied'",
  },
  {
    name: 'basically',
    of: (s: IssueState) => (lastVerdict(s) === 'basically_satisfied' ? 1 : 0),
    sql: "last_verdict = 'basically_satisfied'",
  },
  {
    name: 'unsatisfied',
    of: (s: IssueState) => (lastVerdict(s) === 'unsatisfied' ? 1 : 0),
    sql: "last_verdict = 'unsatisfied'",
  },
  // resolved: closed at some time (销号 or 立行立改), also when reopened since (回头看)
  { name: 'resolved', of: (s: IssueState) => (s.closedAt ? 1 : 0), sql: 'closed_at IS NOT NULL' },
  {
    name: 'on_spot',
    of: (s: IssueState) => (s.resolution === 'on_spot' ? 1 : 0),
    sql: "resolution = 'on_spot'",
  },
  {
    name: 'reopened',
    of: (s: IssueState) => (s.deadlineHistory.some((d) => d.because === 'reopened') ? 1 : 0),
    sql: 'reopened = 1',
  },
  { name: 'red', of: (s: IssueState) => (s.lists.some((l) => l.list === 'red') ? 1 : 0), sql: 'red_listed = 1' },
  {
    name: 'black',
    of: (s: IssueState) => (s.lists.some((l) => l.list === 'black') ? 1 : 0),
    sql: 'black_listed = 1',
  },
  {
    name: 'missed',
    of: (s: IssueState) => s.progressRequests.filter((r) => r.remindedAt !== null).length,
    sql: 'missed_progress',
  },
] as const;

export type IssueCounterName = (typeof ISSUE_COUNTERS)[number]['name'];

/** milliseconds from registration to closing (integers, so sums come out the same in any order) */
export function closeMs(s: IssueState): number {
  return s.closedAt && s.registeredAt ? Date.parse(s.closedAt) - Date.parse(s.registeredAt) : 0;
}

function lastVerdict(s: IssueState): string | null {
  return s.assessments[s.assessments.length - 1]?.verdict ?? null;
}

export const ISSUE_COUNTS_SCHEMA = [
  // one cell per (unit, source, month, status); unit '' counts every issue once, a unit's cells count
  // the issues it leads, co-handles or is responsible for
  `CREATE TABLE IF NOT EXISTS issue_counts (
    unit_id TEXT NOT NULL, source TEXT NOT NULL, month TEXT NOT NULL, status TEXT NOT NULL,
    ${ISSUE_COUNTERS.map((c) => `${c.name} INTEGER NOT NULL`).join(', ')},
    PRIMARY KEY (unit_id, source, month, status)
  ) WITHOUT ROWID`,
  // the same counters by the agency day of registration, for a window's days outside whole months
  `CREATE TABLE IF NOT EXISTS issue_count_days (
    unit_id TEXT NOT NULL, day TEXT NOT NULL, source TEXT NOT NULL, status TEXT NOT NULL,
    ${ISSUE_COUNTERS.map((c) => `${c.name} INTEGER NOT NULL`).join(', ')},
    PRIMARY KEY (unit_id, day, source, status)
  ) WITHOUT ROWID`,
  // issues by lead unit, category, mode, programme, partner agency and reporter verdict, per unit (as issue_counts)
  // and registration period: grain 'all' (period ''), 'month' (YYYY-MM) or 'day' (YYYY-MM-DD, agency time)
  `CREATE TABLE IF NOT EXISTS issue_breakdowns (
    unit_id TEXT NOT NULL, grain TEXT NOT NULL, period TEXT NOT NULL, dim TEXT NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (unit_id, grain, period, dim, key, source)
  ) WITHOUT ROWID`,
];

/** the open issues' index by registration, which `/stats` names when it counts overdue issues in a window */
export const OPEN_ISSUES_BY_REGISTRATION = 'issues_open_registered';
/** the open issues' index by seq, which `/stats` names when it counts a unit's overdue issues (issue_units has seqs) */
export const OPEN_ISSUES_BY_SEQ = 'issues_open_seq';

export const ISSUE_COUNTS_INDEXES = [
  // overdue depends on the clock, so it is counted when asked: the open issues by registration (a window is a range
  // of it), with their deadline and what a source or unit filter reads (the query says `status IN` the same list)
  `CREATE INDEX IF NOT EXISTS ${OPEN_ISSUES_BY_REGISTRATION} ON issue_rows (registered_at, deadline, source, id, status)
   WHERE status IN ${sqlList(OPEN_STATUSES)}`,
  // a unit's overdue issues: each of its issue_units rows probes this narrow index by seq instead of the wide row
  `CREATE INDEX IF NOT EXISTS ${OPEN_ISSUES_BY_SEQ} ON issue_rows (seq, deadline, registered_at, source, status)
   WHERE status IN ${sqlList(OPEN_STATUSES)}`,
];

/** The breakdowns `/stats` answers by, each an issue's values (none when it has no value). */
export const ISSUE_BREAKDOWNS = {
  lead: (s: IssueState) => (s.leadUnitId ? [s.leadUnitId] : []),
  category: (s: IssueState) => (s.category ? [s.category] : []),
  mode: (s: IssueState) => (s.mode ? [s.mode] : []),
  programme: (s: IssueState) => (s.programmeId ? [s.programmeId] : []),
  partner: (s: IssueState) => [...new Set(s.partnerAgencies ?? [])],
  reporterVerdict: (s: IssueState) => {
    const last = s.reporterFeedback?.[s.reporterFeedback.length - 1];
    return last ? [last.verdict] : [];
  },
} as const;
export type IssueBreakdown = keyof typeof ISSUE_BREAKDOWNS;

const HOUR_MS = 3_600_000;
/** hours remembered by one `agencyDayOf` (a decade's): past it the memo starts again */
const REMEMBERED_HOURS = 100_000;

/**
 * A day (YYYY-MM-DD) in the agency's time zone: the periods counters are kept by. `Intl` costs microseconds a call
 * and a replay asks for every fact, so days are remembered per UTC hour: an hour whose first and last millisecond
 * fall on the same agency day lies wholly in it (a zone moves its clocks at most once within an hour); an hour that
 * straddles midnight is asked of `Intl` instant by instant.
 */
export function agencyDayOf(timeZone: string): (instant: string) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  const dayAt = (ms: number) => format.format(ms);
  const byHour = new Map<number, string>();
  return (instant) => {
    const ms = Date.parse(instant);
    const hour = Math.floor(ms / HOUR_MS);
    const known = byHour.get(hour);
    if (known !== undefined) return known;
    const day = dayAt(ms);
    if (dayAt(hour * HOUR_MS) === day && dayAt(hour * HOUR_MS + HOUR_MS - 1) === day) {
      if (byHour.size >= REMEMBERED_HOURS) byHour.clear();
      byHour.set(hour, day);
    }
    return day;
  };
}

/** Counter cells by key: the key's columns joined by NUL (split again only when written). */
type Cells = Map<string, number[]>;
const KEY_SEPARATOR = '\u0000';
const cellKey = (...columns: string[]) => columns.join(KEY_SEPARATOR);

const BREAKDOWN_ENTRIES = Object.entries(ISSUE_BREAKDOWNS) as [IssueBreakdown, (s: IssueState) => string[]][];
const ONE = [1] as const;

/** What one issue adds to the sums: its counters, and its breakdown values, under every unit it counts for. */
interface Contribution {
  /** '' (every issue once) and the units the issue involves */
  units: string[];
  source: string;
  day: string;
  status: string;
  counts: number[];
  /** dimension and value, alternating */
  breakdowns: string[];
}

const sameList = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);
const samePlace = (a: Contribution, b: Contribution) =>
  a.source === b.source && a.day === b.day && sameList(a.units, b.units);

/**
 * Changes to the counters, added up in memory and written once per touched cell: an issue's old contribution is
 * taken out and its new one put in (a contribution that did not change cancels out and writes nothing; a part of it
 * that did not change is not even added up). Live, one batch's changes are written with it; a rebuild's scratch
 * replay keeps them across batches (see `size`).
 */
export class IssueCountsDelta {
  private readonly cells: Cells = new Map();
  private readonly days: Cells = new Map();
  private readonly breakdowns: Cells = new Map();
  private readonly dayOf: (instant: string) => string;

  /** `timeZone`: the agency's, in which issue rows have their registration month */
  constructor(timeZone: string) {
    this.dayOf = agencyDayOf(timeZone);
  }

  /** cells held in memory, not yet written */
  get size(): number {
    return this.cells.size + this.days.size + this.breakdowns.size;
  }

  move(before: IssueState, after: IssueState): void {
    const is = this.contributionOf(after);
    if (before.status === 'none') {
      this.addCounts(is, 1);
      this.addBreakdowns(is, 1);
      return;
    }
    const was = this.contributionOf(before);
    const samePlaces = samePlace(was, is);
    if (!samePlaces || was.status !== is.status || !sameList(was.counts, is.counts)) {
      this.addCounts(was, -1);
      this.addCounts(is, 1);
    }
    if (!samePlaces || !sameList(was.breakdowns, is.breakdowns)) {
      this.addBreakdowns(was, -1);
      this.addBreakdowns(is, 1);
    }
  }

  private contributionOf(s: IssueState): Contribution {
    const units = [''];
    const addUnit = (unitId: string) => units.includes(unitId) || units.push(unitId);
    if (s.leadUnitId) addUnit(s.leadUnitId);
    s.coUnitIds.forEach(addUnit);
    s.responsibleUnitIds?.forEach(addUnit);
    const counts = new Array<number>(ISSUE_COUNTERS.length);
    for (let i = 0; i < ISSUE_COUNTERS.length; i++) counts[i] = ISSUE_COUNTERS[i].of(s);
    const breakdowns: string[] = [];
    for (const [dim, values] of BREAKDOWN_ENTRIES) for (const value of values(s)) breakdowns.push(dim, value);
    return { units, source: s.source!, day: this.dayOf(s.registeredAt!), status: s.status, counts, breakdowns };
  }

  private addCounts(c: Contribution, sign: 1 | -1): void {
    const month = c.day.slice(0, 7);
    for (const unitId of c.units) {
      bump(this.cells, cellKey(unitId, c.source, month, c.status), sign, c.counts);
      bump(this.days, cellKey(unitId, c.day, c.source, c.status), sign, c.counts);
    }
  }

  private addBreakdowns(c: Contribution, sign: 1 | -1): void {
    const month = c.day.slice(0, 7);
    for (const unitId of c.units)
      for (let i = 0; i < c.breakdowns.length; i += 2) {
        const [dim, value] = [c.breakdowns[i], c.breakdowns[i + 1]];
        bump(this.breakdowns, cellKey(unitId, 'all', '', dim, value, c.source), sign, ONE);
        bump(this.breakdowns, cellKey(unitId, 'month', month, dim, value, c.source), sign, ONE);
        bump(this.breakdowns, cellKey(unitId, 'day', c.day, dim, value, c.source), sign, ONE);
      }
  }

  write(db: Database.Database): void {
    const names = ISSUE_COUNTERS.map((c) => c.name);
    const upsert = statement(
      db,
      `INSERT INTO issue_counts (unit_id, source, month, status, ${names.join(', ')}) VALUES (?, ?, ?, ?, ${names.map(() => '?').join(', ')})
       ON CONFLICT DO UPDATE SET ${names.map((n) => `${n} = ${n} + excluded.${n}`).join(', ')}`,
    );
    const prune = statement(
      db,
      'DELETE FROM issue_counts WHERE unit_id = ? AND source = ? AND month = ? AND status = ? AND n = 0',
    );
    // a cell every issue has left is deleted, so live and rebuilt files hold the same rows
    writeCells(this.cells, upsert, prune);
    writeCells(
      this.days,
      statement(
        db,
        `INSERT INTO issue_count_days (unit_id, day, source, status, ${names.join(', ')}) VALUES (?, ?, ?, ?, ${names.map(() => '?').join(', ')})
         ON CONFLICT DO UPDATE SET ${names.map((n) => `${n} = ${n} + excluded.${n}`).join(', ')}`,
      ),
      statement(
        db,
        'DELETE FROM issue_count_days WHERE unit_id = ? AND day = ? AND source = ? AND status = ? AND n = 0',
      ),
    );
    writeCells(
      this.breakdowns,
      statement(
        db,
        `INSERT INTO issue_breakdowns (unit_id, grain, period, dim, key, source, n) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET n = n + excluded.n`,
      ),
      statement(
        db,
        `DELETE FROM issue_breakdowns WHERE unit_id = ? AND grain = ? AND period = ? AND dim = ? AND key = ? AND source = ?
         AND n = 0`,
      ),
    );
  }
}

/**
 * Adds each changed cell to its row and deletes the rows left at zero; the cells are emptied. The first count is
 * the row's `n`, and no stored row has n = 0: a cell that adds issues cannot leave its row at zero.
 */
export function writeCells(cells: Cells, upsert: Database.Statement, prune: Database.Statement): void {
  for (const [id, counts] of cells) {
    if (counts.every((c) => c === 0)) continue;
    const key = id.split(KEY_SEPARATOR);
    upsert.run(...key, ...counts);
    if (counts[0] <= 0) prune.run(...key);
  }
  cells.clear();
}

/** Adds `sign` × `counts` to the cell `id` (see `cellKey`). */
export function bump(cells: Cells, id: string, sign: 1 | -1, counts: readonly number[]): void {
  const cell = cells.get(id);
  if (!cell) cells.set(id, sign === 1 ? counts.slice() : counts.map((n) => -n));
  else for (let i = 0; i < counts.length; i++) cell[i] += sign * counts[i];
}

export { cellKey };
export type { Cells as CounterCells };
