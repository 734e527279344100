import type Database from 'better-sqlite3';
import {
  evolveReportRequest,
  initialReportRequestState,
  REPORT_REQUEST_EVENT_TYPES,
  ReportRequestEvent,
  ReportRequestState,
} from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { statement } from '../statements';

/**
 * Report requests (报送要求): one row per request with its folded state, and one row per unit asked with when it
 * reported and whether late, so a unit's reports on time and late (scorecards, the year-end review) are index
 * look-ups.
 */
export const reportRequestsProjection: Projection = {
  name: 'report-requests',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS report_requests (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, due_at TEXT NOT NULL, created_at TEXT NOT NULL, programme_id TEXT,
      state TEXT NOT NULL, revision INTEGER NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS report_request_units (
      request_id TEXT NOT NULL, unit_id TEXT NOT NULL, due_at TEXT NOT NULL, submitted_at TEXT, late INTEGER,
      PRIMARY KEY (request_id, unit_id)
    ) WITHOUT ROWID`,
  ],
  queryIndexes: [
    'CREATE INDEX IF NOT EXISTS report_requests_created ON report_requests (created_at, id)',
    'CREATE INDEX IF NOT EXISTS report_request_units_unit ON report_request_units (unit_id, due_at)',
  ],
  handles: new Set(REPORT_REQUEST_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    const id = event.data.reportRequestId as string;
    const row = statement(db, 'SELECT state FROM report_requests WHERE id = ?').get(id) as
      { state: string } | undefined;
    const state = evolveReportRequest(row ? JSON.parse(row.state) : initialReportRequestState(), {
      type: event.type,
      data: event.data,
    } as ReportRequestEvent);
    statement(
      db,
      `INSERT INTO report_requests (id, kind, due_at, created_at, programme_id, state, revision) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET state = excluded.state, revision = excluded.revision`,
    ).run(id, state.kind, state.dueAt, state.createdAt, state.programmeId, JSON.stringify(state), event.revision);
    if (event.type === 'ReportRequestCreated') {
      const asked = statement(
        db,
        'INSERT OR IGNORE INTO report_request_units (request_id, unit_id, due_at) VALUES (?, ?, ?)',
      );
      for (const unitId of state.unitIds) asked.run(id, unitId, state.dueAt);
    }
    if (event.type === 'UnitReportSubmitted')
      statement(
        db,
        'UPDATE report_request_units SET submitted_at = ?, late = ? WHERE request_id = ? AND unit_id = ?',
      ).run(event.data.at, event.data.late ? 1 : 0, id, event.data.unitId);
  },
};

export type ReportRequestRecord = ReportRequestState & { revision: number };

/** Which requests a page holds: newest first, after the previous page's last `(createdAt, id)`. */
export interface ReportRequestPageFilter {
  /** only requests asking one of these units */
  unitIds?: string[];
  programmeId?: string;
  before?: [createdAt: string, id: string];
  limit: number;
}

export function reportRequestPage(db: Database.Database, filter: ReportRequestPageFilter): ReportRequestRecord[] {
  const [createdAt, id] = filter.before ?? [null, null];
  const units = filter.unitIds ? JSON.stringify(filter.unitIds) : null;
  const programme = filter.programmeId ?? null;
  const rows = db
    .prepare(
      `SELECT state, revision FROM report_requests r
       WHERE (? IS NULL OR EXISTS (SELECT 1 FROM report_request_units u
                                   WHERE u.request_id = r.id AND u.unit_id IN (SELECT value FROM json_each(?))))
         AND (? IS NULL OR r.programme_id = ?)
         AND (? IS NULL OR (r.created_at, r.id) < (?, ?))
       ORDER BY r.created_at DESC, r.id DESC LIMIT ?`,
    )
    .all(units, units, programme, programme, createdAt, createdAt, id, filter.limit) as {
    state: string;
    revision: number;
  }[];
  return rows.map((r) => ({ ...(JSON.parse(r.state) as ReportRequestState), revision: r.revision }));
}

/** A unit's reports, per request that asked it: on time, late, missing (due and not submitted), not yet due. */
export interface UnitReportFigures {
  asked: number;
  onTime: number;
  late: number;
  missing: number;
  pending: number;
}

/**
 * Each unit's report figures over the requests due in `[from, to)` (all when absent), as of `now`: a report is
 * missing once its due instant has passed without one. Keyed by unit id; units never asked are absent.
 */
export function unitReportFigures(
  db: Database.Database,
  window: { from?: string; to?: string; unitId?: string; now: string },
): Map<string, UnitReportFigures> {
  const rows = db
    .prepare(
      `SELECT unit_id AS unitId, COUNT(*) AS asked,
         SUM(CASE WHEN submitted_at IS NOT NULL AND late = 0 THEN 1 ELSE 0 END) AS onTime,
         SUM(CASE WHEN submitted_at IS NOT NULL AND late = 1 THEN 1 ELSE 0 END) AS late,
         SUM(CASE WHEN submitted_at IS NULL AND due_at < ? THEN 1 ELSE 0 END) AS missing,
         SUM(CASE WHEN submitted_at IS NULL AND due_at >= ? THEN 1 ELSE 0 END) AS pending
       FROM report_request_units
       WHERE (? IS NULL OR unit_id = ?) AND (? IS NULL OR due_at >= ?) AND (? IS NULL OR due_at < ?)
       GROUP BY unit_id`,
    )
    .all(
      window.now,
      window.now,
      window.unitId ?? null,
      window.unitId ?? null,
      window.from ?? null,
      window.from ?? null,
      window.to ?? null,
      window.to ?? null,
    ) as ({ unitId: string } & UnitReportFigures)[];
  return new Map(rows.map(({ unitId, ...figures }) => [unitId, figures]));
}
