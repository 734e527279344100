import type Database from 'better-sqlite3';
import type { IssueState } from '@duban/domain';
import { statement } from '../statements';

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
  // the issues it leads or co-handles
  `CREATE TABLE IF NOT EXISTS issue_counts (
    unit_id TEXT NOT NULL, source TEXT NOT NULL, month TEXT NOT NULL, status TEXT NOT NULL,
    ${ISSUE_COUNTERS.map((c) => `${c.name} INTEGER NOT NULL`).join(', ')},
    PRIMARY KEY (unit_id, source, month, status)
  ) WITHOUT ROWID`,
  // issues by lead unit, for `byUnit`, under the same unit and source filters
  `CREATE TABLE IF NOT EXISTS issue_lead_counts (
    unit_id TEXT NOT NULL, source TEXT NOT NULL, lead_unit_id TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (unit_id, source, lead_unit_id)
  ) WITHOUT ROWID`,
];

type Cells = Map<string, { key: string[]; counts: number[] }>;

/**
 * The changes of one batch to the counters, added up in memory and written once per touched cell:
 * an issue's old contribution is taken out and its new one put in.
 */
export class IssueCountsDelta {
  private readonly cells: Cells = new Map();
  private readonly leads: Cells = new Map();

  /** `monthOf`: the registration month as the issue rows have it (in TZ_AGENCY) */
  constructor(private readonly monthOf: (s: IssueState) => string) {}

  move(before: IssueState, after: IssueState): void {
    if (before.status !== 'none') this.add(before, -1);
    this.add(after, 1);
  }

  private add(s: IssueState, sign: 1 | -1): void {
    const counts = ISSUE_COUNTERS.map((c) => sign * c.of(s));
    const month = this.monthOf(s);
    const units = [...(s.leadUnitId ? [s.leadUnitId] : []), ...s.coUnitIds, ...(s.responsibleUnitIds ?? [])];
    for (const unitId of new Set(['', ...units])) {
      bump(this.cells, [unitId, s.source!, month, s.status], counts);
      bump(this.leads, [unitId, s.source!, s.leadUnitId ?? ''], [sign]);
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
    for (const { key, counts } of this.cells.values()) {
      if (counts.every((c) => c === 0)) continue;
      upsert.run(...key, ...counts);
      // a cell every issue has left is deleted, so live and rebuilt files hold the same rows
      prune.run(...key);
    }
    const upsertLead = statement(
      db,
      'INSERT INTO issue_lead_counts (unit_id, source, lead_unit_id, n) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n',
    );
    const pruneLead = statement(
      db,
      'DELETE FROM issue_lead_counts WHERE unit_id = ? AND source = ? AND lead_unit_id = ? AND n = 0',
    );
    for (const { key, counts } of this.leads.values()) {
      if (counts[0] === 0) continue;
      upsertLead.run(...key, counts[0]);
      pruneLead.run(...key);
    }
    this.cells.clear();
    this.leads.clear();
  }
}

function bump(cells: Cells, key: string[], counts: number[]): void {
  const id = key.join('\u0000');
  const cell = cells.get(id);
  if (!cell) cells.set(id, { key, counts: [...counts] });
  else for (let i = 0; i < counts.length; i++) cell.counts[i] += counts[i];
}
