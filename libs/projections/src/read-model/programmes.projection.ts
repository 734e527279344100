import type Database from 'better-sqlite3';
import {
  evolveProgramme,
  initialProgrammeState,
  ISSUE_STATUSES,
  OPEN_STATUSES,
  PROGRAMME_EVENT_TYPES,
  ProgrammeEvent,
  ProgrammeState,
} from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { sqlList, statement } from '../statements';

/**
 * Programmes (专项行动/重点工作): one row per programme with its folded state. A programme's figures are not
 * kept here: its tasks are issues, and `programmeSummary` counts them from the issue rows (`programme_id`,
 * `programme_phase`) and `issue_units`, so they are never out of step with the issues themselves.
 */
export const programmesProjection: Projection = {
  name: 'programmes',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS programme_rows (
      id TEXT PRIMARY KEY, year INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL,
      state TEXT NOT NULL, revision INTEGER NOT NULL
    )`,
  ],
  queryIndexes: ['CREATE INDEX IF NOT EXISTS programme_rows_created ON programme_rows (created_at, id)'],
  handles: new Set(PROGRAMME_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    const id = event.data.programmeId as string;
    const row = statement(db, 'SELECT state FROM programme_rows WHERE id = ?').get(id) as { state: string } | undefined;
    const state = evolveProgramme(row ? JSON.parse(row.state) : initialProgrammeState(), {
      type: event.type,
      data: event.data,
    } as ProgrammeEvent);
    statement(
      db,
      `INSERT INTO programme_rows (id, year, kind, name, created_at, state, revision) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, state = excluded.state, revision = excluded.revision`,
    ).run(id, state.year, state.kind, state.name, state.createdAt, JSON.stringify(state), event.revision);
  },
};

export type ProgrammeRecord = ProgrammeState & { revision: number };

const toRecord = (r: { state: string; revision: number }): ProgrammeRecord => ({
  ...(JSON.parse(r.state) as ProgrammeState),
  revision: r.revision,
});

/** One programme as the read model has it, or undefined. */
export function programmeRecord(db: Database.Database, id: string): ProgrammeRecord | undefined {
  const row = statement(db, 'SELECT state, revision FROM programme_rows WHERE id = ?').get(id) as
    { state: string; revision: number } | undefined;
  return row && toRecord(row);
}

/** Which programmes a page holds: newest first, after the previous page's last `(createdAt, id)`. */
export interface ProgrammePageFilter {
  year?: number;
  kind?: string;
  /** only programmes with a task these units lead, co-handle or are responsible for */
  unitIds?: string[];
  before?: [createdAt: string, id: string];
  limit: number;
}

export function programmePage(db: Database.Database, filter: ProgrammePageFilter): ProgrammeRecord[] {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    args.push(...values);
  };
  if (filter.year !== undefined) add('p.year = ?', filter.year);
  if (filter.kind !== undefined) add('p.kind = ?', filter.kind);
  if (filter.unitIds) {
    add(
      `EXISTS (SELECT 1 FROM issue_rows i JOIN issue_units u ON u.issue_id = i.id
        WHERE i.programme_id = p.id AND u.unit_id IN (${filter.unitIds.map(() => '?').join(', ') || 'NULL'}))`,
      ...filter.unitIds,
    );
  }
  if (filter.before) add('(p.created_at, p.id) < (?, ?)', ...filter.before);
  const rows = db
    .prepare(
      `SELECT state, revision FROM programme_rows p ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY p.created_at DESC, p.id DESC LIMIT ?`,
    )
    .all(...args, filter.limit) as { state: string; revision: number }[];
  return rows.map(toRecord);
}

const OPEN = sqlList(OPEN_STATUSES);

export interface ProgrammeTaskFigures {
  total: number;
  byStatus: Record<string, number>;
  /** open (assigned, in progress, reopened) with the deadline passed at `asOf` */
  overdue: number;
  /** closed on time / closed; null while none is closed */
  onTimeRate: number | null;
}

export interface ProgrammeSummary {
  tasks: ProgrammeTaskFigures;
  /** per unit involved, in unit-code order: the tasks it leads, co-handles or is responsible for (`lead`: those it leads) */
  byUnit: { unitId: string; unitName: string | null; total: number; lead: number; overdue: number; closed: number }[];
  /** per phase key (tasks without a phase under `null`) */
  byPhase: { phase: string | null; total: number; overdue: number; closed: number }[];
}

/**
 * A programme's figures at `asOf`, counted from its tasks' issue rows; `unitIds` limits them to the tasks those
 * units are involved in (a unit officer's view). One indexed range of `issue_rows` per query, however large
 * the read model.
 */
export function programmeSummary(
  db: Database.Database,
  programmeId: string,
  asOf: string,
  unitIds?: string[],
): ProgrammeSummary {
  const scope = unitIds
    ? `AND i.id IN (SELECT issue_id FROM issue_units WHERE unit_id IN (${unitIds.map(() => '?').join(', ') || 'NULL'}))`
    : '';
  const scoped = unitIds ?? [];
  const overdue = `(i.status IN ${OPEN} AND i.deadline < ?)`;
  const rows = statement(
    db,
    `SELECT i.status AS status, COUNT(*) AS n, SUM(${overdue}) AS overdue,
       SUM(i.status = 'closed' AND i.closed_on_time = 1) AS onTime
     FROM issue_rows i WHERE i.programme_id = ? ${scope} GROUP BY i.status`,
  ).all(asOf, programmeId, ...scoped) as { status: string; n: number; overdue: number; onTime: number }[];
  const byStatus: Record<string, number> = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0]));
  for (const r of rows) byStatus[r.status] = r.n;
  const closed = byStatus.closed;
  const onTime = rows.reduce((sum, r) => sum + r.onTime, 0);
  const byUnit = statement(
    db,
    `SELECT t.*, n.name AS unitName FROM (
       SELECT u.unit_id AS unitId, COUNT(DISTINCT i.id) AS total, COUNT(DISTINCT CASE WHEN u.role = 'lead' THEN i.id END) AS lead,
         COUNT(DISTINCT CASE WHEN ${overdue} THEN i.id END) AS overdue, COUNT(DISTINCT CASE WHEN i.status = 'closed' THEN i.id END) AS closed
       FROM issue_rows i JOIN issue_units u ON u.issue_id = i.id
       WHERE i.programme_id = ? ${unitIds ? `AND u.unit_id IN (${unitIds.map(() => '?').join(', ') || 'NULL'})` : ''}
       GROUP BY u.unit_id
     ) t LEFT JOIN units n ON n.id = t.unitId ORDER BY n.code, t.unitId`,
  ).all(asOf, programmeId, ...scoped) as ProgrammeSummary['byUnit'];
  const byPhase = statement(
    db,
    `SELECT i.programme_phase AS phase, COUNT(*) AS total, SUM(${overdue}) AS overdue, SUM(i.status = 'closed') AS closed
     FROM issue_rows i WHERE i.programme_id = ? ${scope} GROUP BY i.programme_phase ORDER BY i.programme_phase`,
  ).all(asOf, programmeId, ...scoped) as ProgrammeSummary['byPhase'];
  return {
    tasks: {
      total: rows.reduce((sum, r) => sum + r.n, 0),
      byStatus,
      overdue: rows.reduce((sum, r) => sum + r.overdue, 0),
      onTimeRate: closed ? onTime / closed : null,
    },
    byUnit,
    byPhase,
  };
}
