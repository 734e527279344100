import type Database from 'better-sqlite3';
import {
  evolveInspection,
  initialInspectionState,
  INSPECTION_EVENT_TYPES,
  InspectionEvent,
  InspectionState,
} from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { statement } from '../statements';

/**
 * Inspections (明察暗访/专项督察): `inspection_rows` holds one row per inspection (id, kind, date, programme_id,
 * how many units and findings) — `/stats` counts inspections from it — beside the folded state; one row per
 * unit checked makes a unit's inspections an index look-up.
 */
export const inspectionsProjection: Projection = {
  name: 'inspections',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS inspection_rows (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, date TEXT NOT NULL, programme_id TEXT, units INTEGER NOT NULL,
      findings INTEGER NOT NULL, recorded_at TEXT NOT NULL, state TEXT NOT NULL, revision INTEGER NOT NULL
    )`,
    'CREATE TABLE IF NOT EXISTS inspection_units (inspection_id TEXT NOT NULL, unit_id TEXT NOT NULL, PRIMARY KEY (unit_id, inspection_id)) WITHOUT ROWID',
  ],
  queryIndexes: [
    'CREATE INDEX IF NOT EXISTS inspection_rows_date ON inspection_rows (date, id)',
    'CREATE INDEX IF NOT EXISTS inspection_rows_programme ON inspection_rows (programme_id) WHERE programme_id IS NOT NULL',
  ],
  handles: new Set(INSPECTION_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    const id = event.data.inspectionId as string;
    const row = statement(db, 'SELECT state FROM inspection_rows WHERE id = ?').get(id) as
      { state: string } | undefined;
    const state = evolveInspection(row ? JSON.parse(row.state) : initialInspectionState(), {
      type: event.type,
      data: event.data,
    } as InspectionEvent);
    statement(
      db,
      `INSERT INTO inspection_rows (id, kind, date, programme_id, units, findings, recorded_at, state, revision)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET findings = excluded.findings, state = excluded.state, revision = excluded.revision`,
    ).run(
      id,
      state.kind,
      state.date,
      state.programmeId,
      state.unitIds.length,
      state.findings.length,
      state.recordedAt,
      JSON.stringify(state),
      event.revision,
    );
    if (event.type === 'InspectionRecorded') {
      const checked = statement(db, 'INSERT OR IGNORE INTO inspection_units (inspection_id, unit_id) VALUES (?, ?)');
      for (const unitId of state.unitIds) checked.run(id, unitId);
    }
  },
};

export type InspectionRecord = InspectionState & { revision: number };

const toRecord = (r: { state: string; revision: number }): InspectionRecord => ({
  ...(JSON.parse(r.state) as InspectionState),
  revision: r.revision,
});

/** Which inspections a page holds: latest date first, after the previous page's last `(date, id)`. */
export interface InspectionPageFilter {
  kind?: string;
  programmeId?: string;
  /** only inspections that checked one of these units */
  unitIds?: string[];
  /** only inspections dated on or before this day (a unit never learns of an undercover visit ahead) */
  dateUpTo?: string;
  from?: string;
  to?: string;
  before?: [date: string, id: string];
  limit: number;
}

export function inspectionPage(db: Database.Database, filter: InspectionPageFilter): InspectionRecord[] {
  const where: string[] = [];
  const args: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    where.push(sql);
    args.push(...values);
  };
  if (filter.kind !== undefined) add('n.kind = ?', filter.kind);
  if (filter.programmeId !== undefined) add('n.programme_id = ?', filter.programmeId);
  if (filter.unitIds)
    add(
      `n.id IN (SELECT inspection_id FROM inspection_units WHERE unit_id IN (${filter.unitIds.map(() => '?').join(', ') || 'NULL'}))`,
      ...filter.unitIds,
    );
  if (filter.dateUpTo !== undefined) add('n.date <= ?', filter.dateUpTo);
  if (filter.from !== undefined) add('n.date >= ?', filter.from);
  if (filter.to !== undefined) add('n.date <= ?', filter.to);
  if (filter.before) add('(n.date, n.id) < (?, ?)', ...filter.before);
  const rows = db
    .prepare(
      `SELECT state, revision FROM inspection_rows n ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY n.date DESC, n.id DESC LIMIT ?`,
    )
    .all(...args, filter.limit) as { state: string; revision: number }[];
  return rows.map(toRecord);
}

/** The current status of each issue named (an issue the read model has not applied yet is absent). */
export function issueStatuses(
  db: Database.Database,
  issueIds: string[],
): Map<string, { status: string; leadUnitId: string | null; deadline: string | null }> {
  const get = statement(db, 'SELECT status, lead_unit_id AS leadUnitId, deadline FROM issue_rows WHERE id = ?');
  const found = new Map<string, { status: string; leadUnitId: string | null; deadline: string | null }>();
  for (const id of issueIds) {
    const row = get.get(id) as { status: string; leadUnitId: string | null; deadline: string | null } | undefined;
    if (row) found.set(id, row);
  }
  return found;
}
