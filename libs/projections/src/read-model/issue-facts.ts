import type Database from 'better-sqlite3';
import type { IssueState } from '@duban/domain';
import { statement } from '../statements';
import { closeMs } from './issue-counts';

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
  // the same facts added up per UTC day: a window's whole days are read from here, only its edges from issue_facts
  `CREATE TABLE IF NOT EXISTS issue_fact_days (
    day TEXT NOT NULL, fact TEXT NOT NULL, detail TEXT NOT NULL, source TEXT NOT NULL, n INTEGER NOT NULL, value INTEGER NOT NULL,
    PRIMARY KEY (day, fact, detail, source)
  ) WITHOUT ROWID`,
];

export const ISSUE_FACTS_INDEXES = [
  // a window is a range of this index, and the index covers every column a count reads
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

/** Appends the facts of one event at its time. */
export function recordFacts(db: Database.Database, id: string, after: IssueState, at: string, facts: IssueFact[]) {
  if (!facts.length) return;
  const insert = statement(
    db,
    'INSERT INTO issue_facts (at, fact, detail, issue_id, source, value) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const perDay = statement(
    db,
    `INSERT INTO issue_fact_days (day, fact, detail, source, n, value) VALUES (?, ?, ?, ?, 1, ?)
     ON CONFLICT DO UPDATE SET n = n + 1, value = value + excluded.value`,
  );
  const when = new Date(at).toISOString();
  for (const f of facts) {
    insert.run(when, f.fact, f.detail, id, after.source, f.value);
    perDay.run(when.slice(0, 10), f.fact, f.detail, after.source, f.value);
  }
}
