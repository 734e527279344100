import type Database from 'better-sqlite3';
import { initialIssueState, type IssueState } from '@duban/domain';
import { statement } from '../statements';
import { agencyDayOf, bump, cellKey, closeMs, CounterCells, writeCells } from './issue-counts';

/**
 * What happened to issues, and when: one row per fact (`/stats?basis=event` counts the facts whose time falls in
 * the window — closed this month, assigned this quarter — whatever the issues' registration). Each fact is read
 * off the issue's state before and after one event (folded by the domain's `evolveIssue`), at the event's own
 * `at`, so a rebuild from the log writes the same rows and an auditor can recount each figure from the events.
 *
 * | fact | when | detail | value |
 * | --- | --- | --- | --- |
 * | `assigned` | the first assignment | the mode | |
 * | `partner` | an assignment names a partner agency the issue did not have | the agency | |
 * | `result_reported` | the first result | | |
 * | `resolved` | the first closing (销号 or 立行立改) | `rectified` \| `on_spot` | |
 * | `closed` | every closing | `on_time` \| `late` \| `on_spot` | ms from registration |
 * | `withdrawn` | withdrawal | | |
 * | `reopened` | the first reopening (unsatisfied, or 回头看) | | |
 * | `listed` | the first listing on a list | `red` \| `black` | |
 * | `escalated` | each level reached for the first time | `1`..`4` | |
 * | `assessed` | every assessment | the verdict | |
 * | `missed_progress` | a month's progress report missed (the worker reminded) | the month | |
 */
export const ISSUE_FACTS_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS issue_facts (
    at TEXT NOT NULL, fact TEXT NOT NULL, detail TEXT NOT NULL, issue_id TEXT NOT NULL, source TEXT NOT NULL, value INTEGER NOT NULL
  )`,
  // an issue's facts follow it to the units it is given (reassignment): they are found by issue
  'CREATE INDEX IF NOT EXISTS issue_facts_issue ON issue_facts (issue_id)',
  // the same facts added up per unit ('' for every issue once) and agency period: grain 'all' (period ''), 'month'
  // (YYYY-MM) or 'day' (YYYY-MM-DD); a window is read from its whole months and days, only its edges from issue_facts
  `CREATE TABLE IF NOT EXISTS issue_fact_sums (
    unit_id TEXT NOT NULL, grain TEXT NOT NULL, period TEXT NOT NULL, fact TEXT NOT NULL, detail TEXT NOT NULL,
    source TEXT NOT NULL, n INTEGER NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (unit_id, grain, period, fact, detail, source)
  ) WITHOUT ROWID`,
];

export const ISSUE_FACTS_INDEXES = [
  // a window's edges are a range of this index, and the index covers every column a count reads
  'CREATE INDEX IF NOT EXISTS issue_facts_at ON issue_facts (at, fact, detail, source, value, issue_id)',
];

export interface IssueFact {
  fact: string;
  detail: string;
  value: number;
}

const everReopened = (s: IssueState) => s.deadlineHistory.some((d) => d.because === 'reopened');
const missed = (s: IssueState) => s.progressRequests.filter((r) => r.remindedAt !== null);

/** The facts one event made true, from the issue's state before and after it. */
export function factsOf(before: IssueState, after: IssueState): IssueFact[] {
  const facts: IssueFact[] = [];
  const add = (fact: string, detail = '', value = 0) => facts.push({ fact, detail, value });
  if (!before.assignedAt && after.assignedAt) add('assigned', after.mode ?? '');
  if (after.assignedAt !== before.assignedAt)
    for (const agency of after.partnerAgencies ?? [])
      if (!(before.partnerAgencies ?? []).includes(agency)) add('partner', agency);
  if (before.results.length === 0 && after.results.length > 0) add('result_reported');
  if (after.status === 'closed' && before.status !== 'closed') {
    if (!before.closedAt) add('resolved', after.resolution ?? 'rectified');
    const timing = after.resolution === 'on_spot' ? 'on_spot' : after.closedOnTime ? 'on_time' : 'late';
    add('closed', timing, closeMs(after));
  }
  if (after.status === 'withdrawn' && before.status !== 'withdrawn') add('withdrawn');
  if (!everReopened(before) && everReopened(after)) add('reopened');
  for (const list of ['red', 'black'] as const)
    if (!before.lists.some((l) => l.list === list) && after.lists.some((l) => l.list === list)) add('listed', list);
  for (let level = before.escalationLevel + 1; level <= after.escalationLevel; level++) add('escalated', String(level));
  if (after.assessments.length > before.assessments.length)
    add('assessed', after.assessments[after.assessments.length - 1].verdict);
  const newlyMissed = missed(after).filter((r) => !missed(before).some((b) => b.month === r.month));
  for (const r of newlyMissed) add('missed_progress', r.month);
  return facts;
}

/** The units an issue's facts count for besides every issue's '': those it involves now (as issue_units has them). */
const unitsOf = (s: IssueState) => [
  ...new Set([...(s.leadUnitId ? [s.leadUnitId] : []), ...s.coUnitIds, ...(s.responsibleUnitIds ?? [])]),
];

interface StoredFact {
  at: string;
  fact: string;
  detail: string;
  source: string;
  value: number;
}

/**
 * One batch's facts: kept in memory as the events are applied, then written at the batch's end — the rows of
 * issue_facts, and the sums per unit and period added up in memory (one upsert per touched cell, when `writeSums`
 * is called: live, with each batch; a rebuild's scratch replay keeps them across batches). A unit's sums count the
 * facts of the issues it involves at the end of the batch, as issue_units has them: an issue given to other units
 * takes its earlier facts along.
 */
export class IssueFactsBatch {
  private readonly pending: { issueId: string; fact: StoredFact }[] = [];
  private readonly sums: CounterCells = new Map();
  private readonly dayOf: (instant: string) => string;

  constructor(timeZone: string) {
    this.dayOf = agencyDayOf(timeZone);
  }

  /** sum cells held in memory, not yet written */
  get size(): number {
    return this.sums.size;
  }

  /** The facts one event made true, at its time. */
  record(issueId: string, before: IssueState, after: IssueState, at: string): void {
    const when = new Date(at).toISOString();
    for (const f of factsOf(before, after))
      this.pending.push({
        issueId,
        fact: { at: when, fact: f.fact, detail: f.detail, source: after.source!, value: f.value },
      });
  }

  private add(f: StoredFact, units: readonly string[], sign: 1 | -1): void {
    const day = this.dayOf(f.at);
    const month = day.slice(0, 7);
    const counts = [1, f.value];
    for (const unitId of units) {
      bump(this.sums, cellKey(unitId, 'all', '', f.fact, f.detail, f.source), sign, counts);
      bump(this.sums, cellKey(unitId, 'month', month, f.fact, f.detail, f.source), sign, counts);
      bump(this.sums, cellKey(unitId, 'day', day, f.fact, f.detail, f.source), sign, counts);
    }
  }

  /** Writes the batch's facts and adds them up. `issues`: each issue the batch touched, with its state before the batch and after it. */
  write(
    db: Database.Database,
    issues: ReadonlyMap<string, { before: IssueState; after: { state: IssueState } }>,
  ): void {
    for (const [issueId, { before, after }] of issues) {
      const [was, is] = [unitsOf(before), unitsOf(after.state)];
      if (was.join() === is.join() || factsOf(initialIssueState(), before).length === 0) continue;
      // facts of earlier batches move from the units the issue had to those it has now
      const earlier = statement(db, 'SELECT at, fact, detail, source, value FROM issue_facts WHERE issue_id = ?');
      for (const f of earlier.all(issueId) as StoredFact[]) {
        this.add(f, was, -1);
        this.add(f, is, 1);
      }
    }
    const insert = statement(
      db,
      'INSERT INTO issue_facts (at, fact, detail, issue_id, source, value) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const { issueId, fact: f } of this.pending) {
      insert.run(f.at, f.fact, f.detail, issueId, f.source, f.value);
      this.add(f, ['', ...unitsOf(issues.get(issueId)!.after.state)], 1);
    }
    this.pending.length = 0;
  }

  /** Writes the sums added up since the last call. */
  writeSums(db: Database.Database): void {
    writeCells(
      this.sums,
      statement(
        db,
        `INSERT INTO issue_fact_sums (unit_id, grain, period, fact, detail, source, n, value) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET n = n + excluded.n, value = value + excluded.value`,
      ),
      statement(
        db,
        `DELETE FROM issue_fact_sums WHERE unit_id = ? AND grain = ? AND period = ? AND fact = ? AND detail = ? AND source = ?
         AND n = 0`,
      ),
    );
  }
}
