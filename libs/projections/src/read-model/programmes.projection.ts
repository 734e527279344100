import type Database from 'better-sqlite3';
import {
  evolveProgramme,
  initialProgrammeState,
  ISSUE_EVENT_TYPES,
  ISSUE_STATUSES,
  OPEN_STATUSES,
  PROGRAMME_EVENT_TYPES,
  ProgrammeEvent,
  ProgrammeState,
} from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { perConnection, sqlList, statement } from '../statements';
import { bump, cellKey, CounterCells, writeCells } from './issue-counts';

const OPEN = sqlList(OPEN_STATUSES);

/** A task as its issue row has it now (units: `unitId:role,…` from issue_units, each unit once in its first role). */
const TASK_OF_ISSUE = `SELECT programme_id AS programmeId, status, deadline, closed_on_time AS onTime, programme_phase AS phase,
    (SELECT group_concat(unit_id || ':' || role) FROM issue_units WHERE issue_id = r.id) AS units
  FROM issue_rows r WHERE id = ? AND programme_id IS NOT NULL`;

const UPSERT_TASK = `INSERT INTO programme_tasks (programme_id, issue_id, status, deadline, on_time, phase, units)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT DO UPDATE SET status = excluded.status, deadline = excluded.deadline, on_time = excluded.on_time,
    phase = excluded.phase, units = excluded.units`;

interface TaskCopy {
  programmeId: string;
  status: string;
  deadline: string | null;
  onTime: number | null;
  phase: string | null;
  units: string | null;
}

/** The unit of a `unitId:role` link. */
const unitOf = (link: string) => link.slice(0, link.indexOf(':'));
const linksOf = (units: string | null) => (units ? units.split(',') : []);

/**
 * A batch's changes to the programmes' counters, added up in memory and written once per cell: per programme,
 * unit ('' for every task once), phase ('' for none) and status, the tasks and those closed on time; per programme
 * and unit, the tasks it is involved in, leads and has closed. A task's old contribution is taken out, its new one
 * put in.
 */
class ProgrammeCountsDelta {
  private readonly cells: CounterCells = new Map();
  private readonly units: CounterCells = new Map();

  move(before: TaskCopy | undefined, after: TaskCopy): void {
    if (before) this.add(before, -1);
    this.add(after, 1);
  }

  private add(task: TaskCopy, sign: 1 | -1): void {
    const onTime = task.status === 'closed' && task.onTime === 1 ? sign : 0;
    const closed = task.status === 'closed' ? sign : 0;
    const phase = task.phase ?? '';
    bump(this.cells, cellKey(task.programmeId, '', phase, task.status), 1, [sign, onTime]);
    for (const link of linksOf(task.units)) {
      const unitId = unitOf(link);
      bump(this.cells, cellKey(task.programmeId, unitId, phase, task.status), 1, [sign, onTime]);
      bump(this.units, cellKey(task.programmeId, unitId), 1, [sign, link.endsWith(':lead') ? sign : 0, closed]);
    }
  }

  write(db: Database.Database): void {
    writeCells(
      this.cells,
      statement(
        db,
        `INSERT INTO programme_counts (programme_id, unit_id, phase, status, n, on_time) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET n = n + excluded.n, on_time = on_time + excluded.on_time`,
      ),
      statement(
        db,
        'DELETE FROM programme_counts WHERE programme_id = ? AND unit_id = ? AND phase = ? AND status = ? AND n = 0',
      ),
    );
    writeCells(
      this.units,
      statement(
        db,
        `INSERT INTO programme_unit_counts (programme_id, unit_id, n, lead, closed) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT DO UPDATE SET n = n + excluded.n, lead = lead + excluded.lead, closed = closed + excluded.closed`,
      ),
      statement(db, 'DELETE FROM programme_unit_counts WHERE programme_id = ? AND unit_id = ? AND n = 0'),
    );
  }
}

/**
 * Programmes (专项行动/重点工作): one row per programme with its folded state, a copy of each task's issue row
 * (status, deadline, on time, phase) and its unit links keyed by programme, and — so that a programme's figures
 * cost the same however many tasks it has — counters per programme, unit, phase and status. Only overdue, which
 * depends on the clock, is counted when asked, from the open tasks past their deadline. The copies are taken from `issue_rows` and
 * `issue_units` after the issues projection has written the batch (it runs earlier in the same transaction), for
 * every issue the batch touched: the issue's own projection stays the one place its state is derived.
 */
export function programmesProjectionOf(): Projection {
  const touched = perConnection(() => new Set<string>());
  return {
    name: 'programmes',
    version: 4,
    schema: [
      `CREATE TABLE IF NOT EXISTS programme_rows (
        id TEXT PRIMARY KEY, year INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL,
        state TEXT NOT NULL, revision INTEGER NOT NULL
      )`,
      `CREATE TABLE IF NOT EXISTS programme_tasks (
        programme_id TEXT NOT NULL, issue_id TEXT NOT NULL, status TEXT NOT NULL, deadline TEXT, on_time INTEGER, phase TEXT,
        units TEXT, PRIMARY KEY (programme_id, issue_id)
      ) WITHOUT ROWID`,
      `CREATE TABLE IF NOT EXISTS programme_task_units (
        programme_id TEXT NOT NULL, issue_id TEXT NOT NULL, unit_id TEXT NOT NULL, role TEXT NOT NULL,
        PRIMARY KEY (programme_id, issue_id, unit_id)
      ) WITHOUT ROWID`,
      `CREATE TABLE IF NOT EXISTS programme_counts (
        programme_id TEXT NOT NULL, unit_id TEXT NOT NULL, phase TEXT NOT NULL, status TEXT NOT NULL,
        n INTEGER NOT NULL, on_time INTEGER NOT NULL, PRIMARY KEY (programme_id, unit_id, phase, status)
      ) WITHOUT ROWID`,
      `CREATE TABLE IF NOT EXISTS programme_unit_counts (
        programme_id TEXT NOT NULL, unit_id TEXT NOT NULL, n INTEGER NOT NULL, lead INTEGER NOT NULL,
        closed INTEGER NOT NULL, PRIMARY KEY (programme_id, unit_id)
      ) WITHOUT ROWID`,
    ],
    queryIndexes: [
      'CREATE INDEX IF NOT EXISTS programme_rows_created ON programme_rows (created_at, id)',
      'CREATE INDEX IF NOT EXISTS programme_task_units_unit ON programme_task_units (unit_id, programme_id)',
      // overdue: a programme's open tasks by deadline, with what the summary reads of them
      `CREATE INDEX IF NOT EXISTS programme_tasks_open ON programme_tasks (programme_id, deadline, phase, units, status)
       WHERE status IN ${OPEN}`,
    ],
    handles: new Set<string>([...PROGRAMME_EVENT_TYPES, ...ISSUE_EVENT_TYPES]),
    apply(db: Database.Database, event: RecordedEvent) {
      if (ISSUE_EVENTS.has(event.type)) touched.of(db).add(event.data.issueId as string);
      else applyProgrammeEvent(db, event);
    },
    flush(db: Database.Database) {
      const issues = touched.of(db);
      const counts = new ProgrammeCountsDelta();
      for (const issueId of issues) copyTask(db, issueId, counts);
      counts.write(db);
      issues.clear();
    },
    discard(db: Database.Database) {
      touched.forget(db);
    },
  };
}

const ISSUE_EVENTS: ReadonlySet<string> = new Set(ISSUE_EVENT_TYPES);

function applyProgrammeEvent(db: Database.Database, event: RecordedEvent): void {
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
}

/** A task's row and unit links as the issues projection has them now; an issue of no programme copies nothing. */
function copyTask(db: Database.Database, issueId: string, counts: ProgrammeCountsDelta): void {
  const task = statement(db, TASK_OF_ISSUE).get(issueId) as TaskCopy | undefined;
  if (!task) return;
  const before = statement(
    db,
    `SELECT programme_id AS programmeId, status, deadline, on_time AS onTime, phase, units FROM programme_tasks
     WHERE programme_id = ? AND issue_id = ?`,
  ).get(task.programmeId, issueId) as TaskCopy | undefined;
  counts.move(before, task);
  statement(db, UPSERT_TASK).run(
    task.programmeId,
    issueId,
    task.status,
    task.deadline,
    task.onTime,
    task.phase,
    task.units,
  );
  if (before?.units === task.units) return;
  const programmeId = task.programmeId;
  statement(db, 'DELETE FROM programme_task_units WHERE programme_id = ? AND issue_id = ?').run(programmeId, issueId);
  statement(
    db,
    `INSERT OR IGNORE INTO programme_task_units (programme_id, issue_id, unit_id, role)
     SELECT ?, issue_id, unit_id, role FROM issue_units WHERE issue_id = ?`,
  ).run(programmeId, issueId);
}

/** The one instance the read model lists. */
export const programmesProjection = programmesProjectionOf();

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
      `p.id IN (SELECT programme_id FROM programme_task_units
        WHERE unit_id IN (${filter.unitIds.map(() => '?').join(', ') || 'NULL'}))`,
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

/** One task of a programme as the summary reads it. */
interface TaskRow {
  status: string;
  phase: string | null;
  /** `unitId:role,…` as issue_units has them: each unit once, in its first role (lead, co, responsible) */
  units: string | null;
  /** 1 when open past the deadline at the moment asked about */
  overdue: number;
  /** 1 when closed on time */
  onTime: number;
}

/** What the summary adds up, per task: the lifecycle words stay the domain's, the comparisons SQL's. */
const TASKS_OF = `SELECT status, phase, units, coalesce(status IN ${OPEN} AND deadline < ?, 0) AS overdue,
  coalesce(status = 'closed' AND on_time = 1, 0) AS onTime
  FROM programme_tasks WHERE programme_id = ?`;

/**
 * A programme's figures at `asOf`: `unitIds` limits them to the tasks those units are involved in (a unit officer's
 * view). Read from the programme's counters (for every task, or one unit's), and its open tasks past the deadline
 * for overdue: the cost follows the programme's units, phases and overdue tasks, not the number of its tasks.
 */
export function programmeSummary(
  db: Database.Database,
  programmeId: string,
  asOf: string,
  unitIds?: string[],
): ProgrammeSummary {
  if (unitIds && unitIds.length !== 1) return scannedSummary(db, programmeId, asOf, unitIds);
  const scope = unitIds?.[0] ?? '';
  const byStatus: Record<string, number> = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0]));
  const phases = new Map<string | null, ProgrammeSummary['byPhase'][number]>();
  const phaseOf = (key: string | null) => {
    let phase = phases.get(key);
    if (!phase) phases.set(key, (phase = { phase: key, total: 0, overdue: 0, closed: 0 }));
    return phase;
  };
  let total = 0;
  let onTime = 0;
  const cells = statement(
    db,
    'SELECT phase, status, n, on_time AS onTime FROM programme_counts WHERE programme_id = ? AND unit_id = ?',
  ).all(programmeId, scope) as { phase: string; status: string; n: number; onTime: number }[];
  for (const cell of cells) {
    total += cell.n;
    onTime += cell.onTime;
    byStatus[cell.status] = (byStatus[cell.status] ?? 0) + cell.n;
    const phase = phaseOf(cell.phase === '' ? null : cell.phase);
    phase.total += cell.n;
    if (cell.status === 'closed') phase.closed += cell.n;
  }
  // each unit with its name and code (the directory's order), in one read
  const unitRows = statement(
    db,
    `SELECT c.unit_id AS unitId, u.name AS unitName, c.n AS total, c.lead, 0 AS overdue, c.closed, coalesce(u.code, '') AS code
     FROM programme_unit_counts c LEFT JOIN units u ON u.id = c.unit_id
     WHERE c.programme_id = ?${scope ? ' AND c.unit_id = ?' : ''}`,
  ).all(programmeId, ...(scope ? [scope] : [])) as (ProgrammeSummary['byUnit'][number] & { code: string })[];
  const units = new Map(unitRows.map((u) => [u.unitId, u]));
  let overdue = 0;
  const late = statement(
    db,
    `SELECT phase, units FROM programme_tasks
     WHERE programme_id = ? AND status IN ${OPEN} AND deadline < ?`,
  ).all(programmeId, asOf) as { phase: string | null; units: string | null }[];
  for (const task of late) {
    const links = linksOf(task.units);
    if (scope && !links.some((link) => unitOf(link) === scope)) continue;
    overdue++;
    phaseOf(task.phase).overdue++;
    for (const link of links) {
      const unit = units.get(unitOf(link));
      if (unit) unit.overdue++;
    }
  }
  return {
    tasks: { total, byStatus, overdue, onTimeRate: byStatus.closed ? onTime / byStatus.closed : null },
    byUnit: unitRows
      .sort((a, b) => compare(a.code, b.code) || compare(a.unitId, b.unitId))
      .map(({ code: _code, ...unit }) => unit),
    byPhase: [...phases.values()].sort((a, b) => compare(a.phase, b.phase)),
  };
}

/**
 * The figures counted from the programme's task copies, for a view of several units (a task they share counts
 * once): one clustered range read of the programme's tasks. `unitIds` limits them to the tasks those units
 * are involved in (a unit officer's view). One clustered range read of the programme's task copies (each with its
 * units), added up here: a few thousand tasks cost a few milliseconds however large the read model.
 */
function scannedSummary(db: Database.Database, programmeId: string, asOf: string, unitIds: string[]): ProgrammeSummary {
  const scope = new Set(unitIds);
  const byStatus: Record<string, number> = Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0]));
  const units = new Map<string, ProgrammeSummary['byUnit'][number]>();
  const phases = new Map<string | null, ProgrammeSummary['byPhase'][number]>();
  let total = 0;
  let overdueTotal = 0;
  let onTime = 0;
  for (const row of statement(db, TASKS_OF).all(asOf, programmeId) as TaskRow[]) {
    const links = row.units ? row.units.split(',') : [];
    if (!links.some((link) => scope.has(unitOf(link)))) continue;
    const { overdue } = row;
    const closed = row.status === 'closed' ? 1 : 0;
    total++;
    overdueTotal += overdue;
    onTime += row.onTime;
    byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    let phase = phases.get(row.phase);
    if (!phase) phases.set(row.phase, (phase = { phase: row.phase, total: 0, overdue: 0, closed: 0 }));
    phase.total++;
    phase.overdue += overdue;
    phase.closed += closed;
    for (const link of links) {
      const unitId = unitOf(link);
      if (!scope.has(unitId)) continue;
      let unit = units.get(unitId);
      if (!unit) units.set(unitId, (unit = { unitId, unitName: null, total: 0, lead: 0, overdue: 0, closed: 0 }));
      unit.total++;
      if (link.endsWith(':lead')) unit.lead++;
      unit.overdue += overdue;
      unit.closed += closed;
    }
  }
  return {
    tasks: { total, byStatus, overdue: overdueTotal, onTimeRate: byStatus.closed ? onTime / byStatus.closed : null },
    byUnit: named(db, [...units.values()]),
    byPhase: [...phases.values()].sort((a, b) => compare(a.phase, b.phase)),
  };
}

const compare = (a: string | null, b: string | null) =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;

/** The units with their names, in unit-code order (the directory's order in every sheet). */
function named(db: Database.Database, units: ProgrammeSummary['byUnit']): ProgrammeSummary['byUnit'] {
  const lookup = statement(db, 'SELECT code, name FROM units WHERE id = ?');
  return units
    .map((u) => {
      const found = lookup.get(u.unitId) as { code: string; name: string } | undefined;
      return { unit: { ...u, unitName: found?.name ?? null }, code: found?.code ?? '' };
    })
    .sort((a, b) => compare(a.code, b.code) || compare(a.unit.unitId, b.unit.unitId))
    .map((x) => x.unit);
}
