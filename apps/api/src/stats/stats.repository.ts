import type Database from 'better-sqlite3';
import { ISSUE_COUNTERS, IssueCounterName, sqlList } from '@duban/projections';
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

/** the UTC day after the day of `instant` (YYYY-MM-DD) */
const nextDay = (instant: string) =>
  new Date(Date.parse(`${instant.slice(0, 10)}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

const toCounts = (rows: { k: string; n: number }[]): Counts =>
  Object.fromEntries(
    rows
      .filter((r) => r.k !== null)
      .map((r) => [r.k, r.n])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );

/**
 * The statistics' SQL over the issues read model (`issue_rows`, its counters `issue_counts`, `issue_facts`,
 * `issue_partner_agencies`) and the inspections read model. Every figure is a count the projections derived
 * from the log by folding each issue's events; none re-derives the lifecycle.
 */
export class StatsRepository {
  constructor(private readonly db: Database.Database) {}

  /** Issues registered in the window, in cells by source, month and status (the projection's counters without a window). */
  cells(f: StatsFilter): Cell[] {
    if (!f.from && !f.to) {
      const names = ISSUE_COUNTERS.map((c) => c.name);
      return this.db
        .prepare(
          `SELECT source, month, status, ${names.map((n) => `SUM(${n}) AS ${n}`).join(', ')} FROM issue_counts
           WHERE unit_id = ?${f.source ? ' AND source = ?' : ''} GROUP BY source, month, status`,
        )
        .all(f.unitId ?? '', ...(f.source ? [f.source] : [])) as Cell[];
    }
    const { sql, args } = issueFilter(f);
    return this.db
      .prepare(
        `SELECT source, registered_month AS month, status, ${ISSUE_COUNTERS.map((c) => `SUM(${c.sql}) AS ${c.name}`).join(', ')}
         FROM issue_rows ${sql} GROUP BY source, month, status`,
      )
      .all(...args) as Cell[];
  }

  /** Issues by lead unit. */
  byLeadUnit(f: StatsFilter): Counts {
    if (!f.from && !f.to) {
      const rows = this.db
        .prepare(
          `SELECT lead_unit_id AS k, SUM(n) AS n FROM issue_lead_counts WHERE unit_id = ?${f.source ? ' AND source = ?' : ''}
           AND lead_unit_id != '' GROUP BY k`,
        )
        .all(f.unitId ?? '', ...(f.source ? [f.source] : [])) as { k: string; n: number }[];
      return toCounts(rows);
    }
    return this.groupIssues(f, 'lead_unit_id');
  }

  /** Issues by a column of theirs (category, mode, programme_id), issues without a value left out. */
  groupIssues(f: StatsFilter, column: 'category' | 'mode' | 'programme_id' | 'lead_unit_id'): Counts {
    const { sql, args } = issueFilter(f);
    const rows = this.db
      .prepare(
        `SELECT ${column} AS k, COUNT(*) AS n FROM issue_rows ${sql ? `${sql} AND` : 'WHERE'} ${column} IS NOT NULL GROUP BY k`,
      )
      .all(...args) as { k: string; n: number }[];
    return toCounts(rows);
  }

  /** 联合交办: issues by the partner agencies of their assignment in force. */
  byPartnerAgency(f: StatsFilter): Counts {
    const { sql, args } = issueFilter(f);
    const rows = this.db
      .prepare(
        `SELECT agency AS k, COUNT(*) AS n FROM issue_partner_agencies
         ${sql ? `WHERE issue_id IN (SELECT id FROM issue_rows ${sql})` : ''} GROUP BY agency`,
      )
      .all(...args) as { k: string; n: number }[];
    return toCounts(rows);
  }

  /** Open issues past their deadline now. */
  overdue(f: StatsFilter, now: string): number {
    const { sql, args } = issueFilter(f);
    return this.db
      .prepare(`SELECT COUNT(*) FROM issue_rows ${sql ? `${sql} AND` : 'WHERE'} status IN ${OPEN} AND deadline < ?`)
      .pluck()
      .get(...args, now) as number;
  }

  /** 回访: issues by their reporter's latest verdict. */
  reporterVerdicts(f: StatsFilter): Counts {
    const { sql, args } = issueFilter(f);
    const rows = this.db
      .prepare(
        `SELECT last_reporter_verdict AS k, COUNT(*) AS n FROM issue_rows ${sql ? `${sql} AND` : 'WHERE'}
         last_reporter_verdict IS NOT NULL GROUP BY k`,
      )
      .all(...args) as { k: string; n: number }[];
    return toCounts(rows);
  }

  /** 处理党员干部N人: a person counts once however many records name them; the window is when the record was made. */
  peopleDealtWith(f: StatsFilter): number {
    const w = new Where();
    if (f.unitId) w.add(`a.issue_id IN (${UNIT_ISSUES})`, f.unitId);
    if (f.source) w.add('a.issue_id IN (SELECT id FROM issue_rows WHERE source = ?)', f.source);
    if (f.from) w.add('a.at >= ?', f.from);
    if (f.to) w.add('a.at < ?', f.to);
    return this.db
      .prepare(
        `SELECT COUNT(*) FROM (SELECT DISTINCT a.name, IFNULL(a.unit_id, '') FROM issue_accountability a ${w.sql ? `${w.sql} AND` : 'WHERE'} a.target_kind = 'person')`,
      )
      .pluck()
      .get(...w.args) as number;
  }

  /**
   * What happened in the window (`issue_facts`, by the time of the event): counts and value sums by fact and
   * detail, for issues of the unit and source whatever their registration. Without a unit, the window's whole UTC
   * days are added up from `issue_fact_days` and only its edges counted from the facts themselves.
   */
  facts(f: StatsFilter): FactCounts {
    const facts: FactCounts = {};
    const add = (rows: { fact: string; detail: string; n: number; value: number }[]) => {
      for (const r of rows) {
        const cell = ((facts[r.fact] ??= {})[r.detail] ??= { n: 0, value: 0 });
        cell.n += r.n;
        cell.value += r.value;
      }
    };
    const raw = (from: string, to: string) => {
      const w = new Where(['at >= ?', from], ['at < ?', to]);
      if (f.source) w.add('source = ?', f.source);
      if (f.unitId) w.add(`issue_id IN (${UNIT_ISSUES})`, f.unitId);
      add(
        this.db
          .prepare(
            `SELECT fact, detail, COUNT(*) AS n, SUM(value) AS value FROM issue_facts ${w.sql} GROUP BY fact, detail`,
          )
          .all(...w.args) as { fact: string; detail: string; n: number; value: number }[],
      );
    };
    const from = f.from ?? '';
    const to = f.to ?? '\uffff';
    if (f.unitId) {
      raw(from, to);
      return facts;
    }
    // whole days: from the first midnight at or after `from` to the last midnight at or before `to`
    const firstDay = !f.from ? '' : f.from.endsWith('T00:00:00.000Z') ? f.from.slice(0, 10) : nextDay(f.from);
    const endDay = f.to ? f.to.slice(0, 10) : '\uffff';
    if (firstDay >= endDay) {
      raw(from, to);
      return facts;
    }
    const w = new Where(['day >= ?', firstDay], ['day < ?', endDay]);
    if (f.source) w.add('source = ?', f.source);
    add(
      this.db
        .prepare(
          `SELECT fact, detail, SUM(n) AS n, SUM(value) AS value FROM issue_fact_days ${w.sql} GROUP BY fact, detail`,
        )
        .all(...w.args) as { fact: string; detail: string; n: number; value: number }[],
    );
    if (f.from && f.from < `${firstDay}T00:00:00.000Z`) raw(f.from, `${firstDay}T00:00:00.000Z`);
    if (f.to && f.to > `${endDay}T00:00:00.000Z`) raw(`${endDay}T00:00:00.000Z`, f.to);
    return facts;
  }

  /** Units' and programmes' names by id, for a workbook's readers (programmes only when that read model exists). */
  names(): Map<string, string> {
    const hasProgrammes = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'programme_rows'")
      .get();
    const rows = this.db
      .prepare(`SELECT id, name FROM units${hasProgrammes ? ' UNION ALL SELECT id, name FROM programme_rows' : ''}`)
      .all() as { id: string; name: string }[];
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /**
   * 明察暗访: inspections held in the window (by their date, a day of the agency's calendar), of the unit when one
   * is named; null when this read model has no inspections table.
   */
  inspections(f: { unitId?: string; fromDate?: string; toDate?: string }): number | null {
    const exists = this.db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'inspection_rows'")
      .get();
    if (!exists) return null;
    const w = new Where();
    if (f.unitId) w.add('id IN (SELECT inspection_id FROM inspection_units WHERE unit_id = ?)', f.unitId);
    if (f.fromDate) w.add('date >= ?', f.fromDate);
    if (f.toDate) w.add('date < ?', f.toDate);
    return this.db
      .prepare(`SELECT COUNT(*) FROM inspection_rows ${w.sql}`)
      .pluck()
      .get(...w.args) as number;
  }
}
