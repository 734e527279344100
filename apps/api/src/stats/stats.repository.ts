import type Database from 'better-sqlite3';
import {
  agencyDayOf,
  ISSUE_COUNTERS,
  IssueCounterName,
  OPEN_ISSUES_BY_REGISTRATION,
  OPEN_ISSUES_BY_SEQ,
  sqlList,
  statement,
} from '@duban/projections';
import { OPEN_STATUSES } from '@duban/domain';

/** The filters every figure takes: issues of a unit (lead, co or responsible), of a source, and a window of instants (UTC ISO). */
export interface StatsFilter {
  unitId?: string;
  source?: string;
  from?: string;
  to?: string;
}

export type Cell = { source: string; month: string; status: string } & Record<IssueCounterName, number>;
export type Counts = Record<string, number>;
/** a fact's count and the sum of its values, by detail */
export type FactCounts = Record<string, Record<string, { n: number; value: number }>>;

const OPEN = sqlList(OPEN_STATUSES);
const UNIT_ISSUES = 'SELECT issue_id FROM issue_units WHERE unit_id = ?';

/** Clauses and their arguments, in order. */
class Where {
  readonly clauses: string[] = [];
  readonly args: unknown[] = [];
  constructor(...clauses: [string, unknown][]) {
    for (const [clause, value] of clauses) this.add(clause, value);
  }
  add(clause: string, value: unknown): void {
    this.clauses.push(clause);
    this.args.push(value);
  }
  get sql(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** The WHERE clause selecting issue rows (registered in the window) and its arguments. */
function issueFilter(f: StatsFilter, column = 'id'): { sql: string; args: unknown[] } {
  const w = new Where();
  if (f.unitId) w.add(`${column} IN (${UNIT_ISSUES})`, f.unitId);
  if (f.source) w.add('source = ?', f.source);
  if (f.from) w.add('registered_at >= ?', f.from);
  if (f.to) w.add('registered_at < ?', f.to);
  return { sql: w.sql, args: w.args };
}

/** The next day (YYYY-MM-DD) or month (YYYY-MM) of a calendar one. */
const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
const nextMonth = (month: string) => {
  const [year, m] = month.split('-').map(Number);
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
};

/** about eleven years of days: more than any read model's span, so the memory stays small */
const MAX_REMEMBERED_DAYS = 4096;

/** Days in the agency's time zone: the periods the projection's sums are kept by. */
export class AgencyCalendar {
  private readonly dayOf: (instant: string) => string;
  private readonly parts: Intl.DateTimeFormat;
  /** days' starting instants already worked out: each takes four time-zone conversions, and windows share days */
  private readonly starts = new Map<string, string>();
  constructor(timeZone: string) {
    this.dayOf = agencyDayOf(timeZone);
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }
  day(instant: string): string {
    return this.dayOf(instant);
  }
  /** the instant (UTC ISO) the agency's day begins */
  startOf(day: string): string {
    let start = this.starts.get(day);
    if (start === undefined) {
      if (this.starts.size >= MAX_REMEMBERED_DAYS) this.starts.clear();
      this.starts.set(day, (start = this.workOutStartOf(day)));
    }
    return start;
  }
  private workOutStartOf(day: string): string {
    const midnight = Date.parse(`${day}T00:00:00.000Z`);
    let t = midnight;
    // twice, in case the zone's offset changes that day
    for (let i = 0; i < 2; i++) t = midnight - this.offsetAt(t);
    return new Date(t).toISOString();
  }
  private offsetAt(t: number): number {
    const p = Object.fromEntries(this.parts.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - (t - (t % 1000));
  }
}

/**
 * A window cut along the sums' periods: its whole agency months, the whole days outside them, and the instants
 * at its edges outside whole days (counted from the rows). An edge longer than the rest of its day is read as the
 * whole day less that rest (`minus`, rows counted and taken out): a window between UTC midnights has a 16-hour edge
 * at one end in Asia/Shanghai, 8 hours taken out instead. Without a window, every period ('all').
 */
export interface Spans {
  all: boolean;
  months: [string, string][];
  days: [string, string][];
  edges: [string, string][];
  minus: [string, string][];
}

const msBetween = (from: string, to: string) => Date.parse(to) - Date.parse(from);

export function spansOf(f: { from?: string; to?: string }, calendar: AgencyCalendar): Spans {
  if (!f.from && !f.to) return { all: true, months: [], days: [], edges: [], minus: [] };
  const edges: [string, string][] = [];
  const minus: [string, string][] = [];
  let firstDay = '';
  if (f.from) {
    const day = calendar.day(f.from);
    const [start, next] = [calendar.startOf(day), calendar.startOf(nextDay(day))];
    if (start === f.from) firstDay = day;
    else if (msBetween(start, f.from) < msBetween(f.from, next)) {
      firstDay = day;
      minus.push([start, f.from]);
    } else {
      firstDay = nextDay(day);
      edges.push([f.from, next]);
    }
  }
  let endDay = '\uffff';
  if (f.to) {
    const day = calendar.day(f.to);
    const [start, next] = [calendar.startOf(day), calendar.startOf(nextDay(day))];
    if (start === f.to) endDay = day;
    else if (msBetween(f.to, next) < msBetween(start, f.to)) {
      endDay = nextDay(day);
      minus.push([f.to, next]);
    } else {
      endDay = day;
      edges.push([start, f.to]);
    }
  }
  const window: [string, string] = [f.from ?? '', f.to ?? '\uffff'];
  if (firstDay >= endDay) return { all: false, months: [], days: [], edges: [window], minus: [] };
  const firstMonth = !firstDay ? '' : firstDay.endsWith('-01') ? firstDay.slice(0, 7) : nextMonth(firstDay.slice(0, 7));
  const endMonth = endDay === '\uffff' ? endDay : endDay.slice(0, 7);
  if (firstMonth >= endMonth) return { all: false, months: [], days: [[firstDay, endDay]], edges, minus };
  const days: [string, string][] = [];
  if (firstDay && firstDay < `${firstMonth}-01`) days.push([firstDay, `${firstMonth}-01`]);
  if (endDay !== '\uffff' && `${endMonth}-01` < endDay) days.push([`${endMonth}-01`, endDay]);
  return { all: false, months: [[firstMonth, endMonth]], days, edges, minus };
}

const sorted = (counts: Counts): Counts =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

const toCounts = (rows: { k: string; n: number }[]): Counts =>
  Object.fromEntries(
    rows
      .filter((r) => r.k !== null)
      .map((r) => [r.k, r.n])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );

/** counts without the keys that came to nothing (whole days less the parts of them outside a window) */
const nonZero = (counts: Counts): Counts => Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));

const negated = (cell: Cell): Cell =>
  ({
    ...cell,
    ...Object.fromEntries(ISSUE_COUNTERS.map((c) => [c.name, -cell[c.name]])),
  }) as Cell;

/**
 * Cells added up by source, month and status, those of no issue left out: a whole day less a part of it outside the
 * window may leave a month with no issue in the window, which must not appear in byMonth.
 */
function netted(cells: Cell[]): Cell[] {
  const byKey = new Map<string, Cell>();
  for (const cell of cells) {
    const key = `${cell.source}\u0000${cell.month}\u0000${cell.status}`;
    const sum = byKey.get(key);
    if (!sum) byKey.set(key, { ...cell });
    else for (const c of ISSUE_COUNTERS) sum[c.name] += cell[c.name];
  }
  return [...byKey.values()].filter((cell) => cell.n !== 0);
}

export type Breakdown = 'lead' | 'category' | 'mode' | 'programme' | 'partner' | 'reporterVerdict';
export type Breakdowns = Record<Breakdown, Counts>;
const BREAKDOWN_COLUMNS = {
  lead: 'lead_unit_id',
  category: 'category',
  mode: 'mode',
  programme: 'programme_id',
  reporterVerdict: 'last_reporter_verdict',
} as const;
/** the breakdowns that are columns of the issue rows (partner agencies are rows of their own) */
type RowBreakdown = keyof typeof BREAKDOWN_COLUMNS;
const ROW_BREAKDOWNS = Object.keys(BREAKDOWN_COLUMNS) as RowBreakdown[];

type FactRow = { fact: string; detail: string; n: number; value: number };

/**
 * The statistics' SQL over the issues read model. Every figure is a count the projections derived from the log by
 * folding each issue's events; none re-derives the lifecycle. A window is read from the sums the projection keeps
 * per agency month and day (`issue_counts`, `issue_count_days`, `issue_breakdowns`, `issue_fact_sums`) and only
 * its edges, the instants outside whole days, from the rows (`issue_rows`, `issue_facts`), so its cost follows the
 * number of periods and not of issues. Every sum is kept per unit too (unit '' for every issue once).
 */
export class StatsRepository {
  /** the last window cut into spans: the sums of one answer (cells, breakdowns, facts) share it */
  private lastSpans?: { from?: string; to?: string; spans: Spans };

  constructor(
    private readonly db: Database.Database,
    private readonly calendar: AgencyCalendar,
  ) {}

  private spansOf(f: StatsFilter): Spans {
    if (!this.lastSpans || this.lastSpans.from !== f.from || this.lastSpans.to !== f.to)
      this.lastSpans = {
        from: f.from,
        to: f.to,
        spans: spansOf({ from: f.from, to: this.endWithin(f.to) }, this.calendar),
      };
    return this.lastSpans.spans;
  }

  /**
   * A window's end, or none when it lies past every registration and fact (the sums count nothing after them): a
   * window to now or beyond the log reads the whole sums ('all') instead of every month and the days and hours of its
   * end. Two seeks at the ends of the registration and fact indexes.
   */
  private endWithin(to: string | undefined): string | undefined {
    if (!to) return to;
    const last = statement(
      this.db,
      'SELECT MAX(at) FROM (SELECT MAX(registered_at) AS at FROM issue_rows UNION ALL SELECT MAX(at) FROM issue_facts)',
    )
      .pluck()
      .get() as string | null;
    return last !== null && to > last ? undefined : to;
  }

  /** Issues registered in the window, in cells by source, month and status (a cell may come more than once). */
  cells(f: StatsFilter): Cell[] {
    const names = ISSUE_COUNTERS.map((c) => c.name);
    const sums = names.map((n) => `SUM(${n}) AS ${n}`).join(', ');
    const bySource = f.source ? ' AND source = ?' : '';
    const sourceArg = f.source ? [f.source] : [];
    const spans = this.spansOf(f);
    const cells: Cell[] = [];
    const monthly = (from: string, to: string) =>
      cells.push(
        ...(statement(
          this.db,
          `SELECT source, month, status, ${sums} FROM issue_counts
             WHERE unit_id = ? AND month >= ? AND month < ?${bySource} GROUP BY source, month, status`,
        ).all(f.unitId ?? '', from, to, ...sourceArg) as Cell[]),
      );
    if (spans.all) monthly('', '\uffff');
    for (const [from, to] of spans.months) monthly(from, to);
    for (const [from, to] of spans.days)
      cells.push(
        ...(statement(
          this.db,
          `SELECT source, substr(day, 1, 7) AS month, status, ${sums} FROM issue_count_days
             WHERE unit_id = ? AND day >= ? AND day < ?${bySource} GROUP BY source, month, status`,
        ).all(f.unitId ?? '', from, to, ...sourceArg) as Cell[]),
      );
    for (const [from, to] of spans.edges) cells.push(...this.rawCells({ ...f, from, to }));
    if (!spans.minus.length) return cells;
    for (const [from, to] of spans.minus) cells.push(...this.rawCells({ ...f, from, to }).map(negated));
    return netted(cells);
  }

  /** The cells counted from the issue rows themselves. */
  private rawCells(f: StatsFilter): Cell[] {
    const { sql, args } = issueFilter(f);
    return statement(
      this.db,
      `SELECT source, registered_month AS month, status, ${ISSUE_COUNTERS.map((c) => `SUM(${c.sql}) AS ${c.name}`).join(', ')}
         FROM issue_rows ${sql} GROUP BY source, month, status`,
    ).all(...args) as Cell[];
  }

  /** Issues by lead unit, category, mode, programme, partner agency (联合交办) and reporter verdict (回访). */
  breakdowns(f: StatsFilter): Breakdowns {
    const into: Breakdowns = { lead: {}, category: {}, mode: {}, programme: {}, partner: {}, reporterVerdict: {} };
    const add = (rows: { dim: Breakdown; k: string; n: number }[]) => {
      for (const r of rows) into[r.dim][r.k] = (into[r.dim][r.k] ?? 0) + r.n;
    };
    const summed = (grain: string, from: string, to: string) =>
      add(
        statement(
          this.db,
          `SELECT dim, key AS k, SUM(n) AS n FROM issue_breakdowns
             WHERE unit_id = ? AND grain = ? AND period >= ? AND period < ?${f.source ? ' AND source = ?' : ''}
             GROUP BY dim, key`,
        ).all(f.unitId ?? '', grain, from, to, ...(f.source ? [f.source] : [])) as {
          dim: Breakdown;
          k: string;
          n: number;
        }[],
      );
    const spans = this.spansOf(f);
    if (spans.all) summed('all', '', '\uffff');
    for (const [from, to] of spans.months) summed('month', from, to);
    for (const [from, to] of spans.days) summed('day', from, to);
    for (const [from, to] of spans.edges) this.addRawBreakdowns({ ...f, from, to }, into, 1);
    for (const [from, to] of spans.minus) this.addRawBreakdowns({ ...f, from, to }, into, -1);
    return Object.fromEntries(
      Object.entries(into).map(([dim, counts]) => [dim, sorted(nonZero(counts))]),
    ) as Breakdowns;
  }

  /**
   * Adds (or takes out: `sign` -1) the breakdowns counted from the issue rows themselves (a window's edges): the rows
   * are read once and each column counted, issues without a value left out.
   */
  private addRawBreakdowns(f: StatsFilter, into: Breakdowns, sign: 1 | -1): void {
    const { sql, args } = issueFilter(f);
    const rows = statement(
      this.db,
      `SELECT ${ROW_BREAKDOWNS.map((dim) => BREAKDOWN_COLUMNS[dim]).join(', ')} FROM issue_rows ${sql}`,
    )
      .raw()
      .all(...args) as (string | null)[][];
    for (const row of rows)
      ROW_BREAKDOWNS.forEach((dim, i) => {
        const key = row[i];
        if (key !== null) into[dim][key] = (into[dim][key] ?? 0) + sign;
      });
    for (const [key, n] of Object.entries(this.byPartnerAgency(f)))
      into.partner[key] = (into.partner[key] ?? 0) + sign * n;
  }

  /**
   * 联合交办: issues by the partner agencies of their assignment in force. The issues in the window are joined, not
   * listed first: the list of ids cost half again as much (a 16-hour edge at 1M events: 0.55 ms, joined 0.35).
   */
  private byPartnerAgency(f: StatsFilter): Counts {
    const { sql, args } = issueFilter(f);
    const rows = statement(
      this.db,
      `SELECT agency AS k, COUNT(*) AS n FROM issue_rows JOIN issue_partner_agencies ON issue_id = id ${sql} GROUP BY agency`,
    ).all(...args) as { k: string; n: number }[];
    return toCounts(rows);
  }

  /**
   * Open issues past their deadline now: it depends on the clock, so it is counted when asked, from the index of
   * open issues by deadline (which covers the window's and the source's columns).
   */
  overdue(f: StatsFilter, now: string): number {
    if (!f.unitId && !f.source && !f.from && (!f.to || f.to > this.lastRegistration()))
      // every issue is in the window: the narrower index of issues by status and deadline holds just the overdue ones
      return statement(this.db, `SELECT COUNT(*) FROM issue_rows WHERE status IN ${OPEN} AND deadline < ?`)
        .pluck()
        .get(now) as number;
    const w = new Where(['r.deadline < ?', now]);
    if (f.source) w.add('r.source = ?', f.source);
    if (f.from) w.add('r.registered_at >= ?', f.from);
    if (f.to) w.add('r.registered_at < ?', f.to);
    // a unit's issues (issue_units, by seq) each probe the open issues' narrow index by seq: as many seeks as the unit
    // has issues, whatever the window (reached by id, every one of its wide rows was read: 28 ms at 1M events).
    // Without a unit the open issues' index by registration answers alone; the planner, left to itself, may take the
    // index by status and deadline for a wide window and read every open issue's row for its registration.
    const rows = f.unitId
      ? `issue_units u CROSS JOIN issue_rows r INDEXED BY ${OPEN_ISSUES_BY_SEQ} ON r.seq = u.seq`
      : `issue_rows r INDEXED BY ${OPEN_ISSUES_BY_REGISTRATION}`;
    if (f.unitId) w.add('u.unit_id = ?', f.unitId);
    return statement(this.db, `SELECT COUNT(*) FROM ${rows} ${w.sql} AND r.status IN ${OPEN}`)
      .pluck()
      .get(...w.args) as number;
  }

  /** the latest registration ('' when none), one seek at the end of the registration index */
  private lastRegistration(): string {
    return (statement(this.db, 'SELECT MAX(registered_at) FROM issue_rows').pluck().get() as string | null) ?? '';
  }

  /**
   * The earliest deadline of an open issue at or after `now` ('\uffff' when none): until it passes, no open issue
   * becomes overdue. One index seek per open status.
   */
  nextDeadline(now: string): string {
    const next = OPEN_STATUSES.map(
      (status) =>
        statement(this.db, 'SELECT MIN(deadline) FROM issue_rows WHERE status = ? AND deadline >= ?')
          .pluck()
          .get(status, now) as string | null,
    );
    return next.reduce<string>((earliest, d) => (d !== null && d < earliest ? d : earliest), '\uffff');
  }

  /** 处理党员干部N人: a person counts once however many records name them; the window is when the record was made. */
  peopleDealtWith(f: StatsFilter): number {
    const w = new Where();
    if (f.unitId) w.add(`a.issue_id IN (${UNIT_ISSUES})`, f.unitId);
    if (f.source) w.add('a.issue_id IN (SELECT id FROM issue_rows WHERE source = ?)', f.source);
    if (f.from) w.add('a.at >= ?', f.from);
    if (f.to) w.add('a.at < ?', f.to);
    return statement(
      this.db,
      `SELECT COUNT(*) FROM (SELECT DISTINCT a.name, IFNULL(a.unit_id, '') FROM issue_accountability a ${w.sql ? `${w.sql} AND` : 'WHERE'} a.target_kind = 'person')`,
    )
      .pluck()
      .get(...w.args) as number;
  }

  /**
   * What happened in the window (facts by the time of the event): counts and value sums by fact and detail, for
   * issues of the unit (those it involves now) and source whatever their registration.
   */
  facts(f: StatsFilter): FactCounts {
    const facts: FactCounts = {};
    const add = (rows: FactRow[], sign = 1) => {
      for (const r of rows) {
        const cell = ((facts[r.fact] ??= {})[r.detail] ??= { n: 0, value: 0 });
        cell.n += sign * r.n;
        cell.value += sign * r.value;
      }
    };
    const summed = (grain: string, from: string, to: string) =>
      add(
        statement(
          this.db,
          `SELECT fact, detail, SUM(n) AS n, SUM(value) AS value FROM issue_fact_sums
             WHERE unit_id = ? AND grain = ? AND period >= ? AND period < ?${f.source ? ' AND source = ?' : ''}
             GROUP BY fact, detail`,
        ).all(f.unitId ?? '', grain, from, to, ...(f.source ? [f.source] : [])) as FactRow[],
      );
    const spans = this.spansOf(f);
    if (spans.all) summed('all', '', '\uffff');
    for (const [from, to] of spans.months) summed('month', from, to);
    for (const [from, to] of spans.days) summed('day', from, to);
    const counted = (from: string, to: string, sign: 1 | -1) => {
      const w = new Where(['at >= ?', from], ['at < ?', to]);
      if (f.source) w.add('source = ?', f.source);
      if (f.unitId) w.add(`issue_id IN (${UNIT_ISSUES})`, f.unitId);
      add(
        statement(
          this.db,
          `SELECT fact, detail, COUNT(*) AS n, SUM(value) AS value FROM issue_facts ${w.sql} GROUP BY fact, detail`,
        ).all(...w.args) as FactRow[],
        sign,
      );
    };
    for (const [from, to] of spans.edges) counted(from, to, 1);
    for (const [from, to] of spans.minus) counted(from, to, -1);
    // a fact whose every occurrence in a day lay in the part taken out is not in the window at all
    if (spans.minus.length)
      for (const details of Object.values(facts))
        for (const [detail, cell] of Object.entries(details)) if (cell.n === 0) delete details[detail];
    return facts;
  }

  /**
   * 明察暗访: inspections held in the window (by their date, a day of the agency's calendar), of the unit when one
   * is named; null when this read model has no inspections table.
   */
  inspections(f: { unitId?: string; fromDate?: string; toDate?: string }): number | null {
    const exists = statement(
      this.db,
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'inspection_rows'",
    ).get();
    if (!exists) return null;
    const w = new Where();
    if (f.unitId) w.add('id IN (SELECT inspection_id FROM inspection_units WHERE unit_id = ?)', f.unitId);
    if (f.fromDate) w.add('date >= ?', f.fromDate);
    if (f.toDate) w.add('date < ?', f.toDate);
    return statement(this.db, `SELECT COUNT(*) FROM inspection_rows ${w.sql}`)
      .pluck()
      .get(...w.args) as number;
  }
}

/** Units' and programmes' names by id, for a workbook's readers (programmes only when that read model exists). */
export function statsNames(db: Database.Database): Map<string, string> {
  const hasProgrammes = statement(
    db,
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'programme_rows'",
  ).get();
  const rows = statement(
    db,
    `SELECT id, name FROM units${hasProgrammes ? ' UNION ALL SELECT id, name FROM programme_rows' : ''}`,
  ).all() as { id: string; name: string }[];
  return new Map(rows.map((r) => [r.id, r.name]));
}
