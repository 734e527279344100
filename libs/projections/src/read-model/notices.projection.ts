import type Database from 'better-sqlite3';
import {
  evolveNotice,
  initialNoticeState,
  NOTICE_EVENT_TYPES,
  NoticeEvent,
  NoticeKind,
  NoticeState,
  NoticeStatus,
} from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { statement } from '../statements';

/**
 * Notices (通报): one row per notice with its folded state, and one row per unit it names, so a unit's
 * notices and the distinct units criticised in a window are index look-ups.
 */
export const noticesProjection: Projection = {
  name: 'notices',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS notices (
      id TEXT PRIMARY KEY, kind TEXT NOT NULL, status TEXT NOT NULL, created_at TEXT NOT NULL, published_at TEXT,
      state TEXT NOT NULL, revision INTEGER NOT NULL
    )`,
    'CREATE TABLE IF NOT EXISTS notice_units (notice_id TEXT NOT NULL, unit_id TEXT NOT NULL, PRIMARY KEY (notice_id, unit_id)) WITHOUT ROWID',
  ],
  queryIndexes: [
    'CREATE INDEX IF NOT EXISTS notices_created ON notices (created_at, id)',
    'CREATE INDEX IF NOT EXISTS notices_published ON notices (published_at) WHERE published_at IS NOT NULL',
    'CREATE INDEX IF NOT EXISTS notice_units_unit ON notice_units (unit_id)',
  ],
  handles: new Set(NOTICE_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    const noticeId = event.data.noticeId as string;
    const row = statement(db, 'SELECT state FROM notices WHERE id = ?').get(noticeId) as { state: string } | undefined;
    const state = evolveNotice(row ? JSON.parse(row.state) : initialNoticeState(), {
      type: event.type,
      data: event.data,
    } as NoticeEvent);
    statement(
      db,
      `INSERT INTO notices (id, kind, status, created_at, published_at, state, revision) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, published_at = excluded.published_at,
         state = excluded.state, revision = excluded.revision`,
    ).run(
      noticeId,
      state.kind,
      state.status,
      state.createdAt,
      state.publishedAt,
      JSON.stringify(state),
      event.revision,
    );
    if (event.type === 'NoticeCreated') {
      const named = statement(db, 'INSERT OR IGNORE INTO notice_units (notice_id, unit_id) VALUES (?, ?)');
      for (const unitId of state.unitIds) named.run(noticeId, unitId);
    }
  },
};

const PUBLISHED: NoticeStatus = 'published';
const CRITICISM: NoticeKind = 'criticism';

export type NoticeRecord = NoticeState & { revision: number };

/** Which notices a page holds: newest first, after the previous page's last `(createdAt, id)`. */
export interface NoticePageFilter {
  publishedOnly: boolean;
  /** only notices naming this unit */
  unitId?: string;
  before?: [createdAt: string, id: string];
  limit: number;
}

export function noticePage(db: Database.Database, filter: NoticePageFilter): NoticeRecord[] {
  const [createdAt, id] = filter.before ?? [null, null];
  const rows = db
    .prepare(
      `SELECT state, revision FROM notices n
       WHERE (? = 0 OR n.status = ?)
         AND (? IS NULL OR EXISTS (SELECT 1 FROM notice_units u WHERE u.notice_id = n.id AND u.unit_id = ?))
         AND (? IS NULL OR (n.created_at, n.id) < (?, ?))
       ORDER BY n.created_at DESC, n.id DESC LIMIT ?`,
    )
    .all(
      filter.publishedOnly ? 1 : 0,
      PUBLISHED,
      filter.unitId ?? null,
      filter.unitId ?? null,
      createdAt,
      createdAt,
      id,
      filter.limit,
    ) as { state: string; revision: number }[];
  return rows.map((r) => ({ ...(JSON.parse(r.state) as NoticeState), revision: r.revision }));
}

/** A window of publication instants (ISO, UTC) and, optionally, one unit the notices name. */
export interface NoticeWindow {
  from?: string;
  to?: string;
  unitId?: string;
}

/**
 * `/stats`' notice figures: notices published in the window, and the distinct units named by published
 * criticism notices in it (the seeds' "通报责任单位94个").
 */
export function noticeFigures(db: Database.Database, window: NoticeWindow) {
  const published = `n.published_at IS NOT NULL AND (? IS NULL OR n.published_at >= ?) AND (? IS NULL OR n.published_at < ?)`;
  const args = [window.from ?? null, window.from ?? null, window.to ?? null, window.to ?? null];
  const unit = window.unitId ?? null;
  // prepared once per database: `/stats` asks these on every answer
  const noticesIssued = statement(
    db,
    `SELECT COUNT(*) FROM notices n WHERE ${published}
       AND (? IS NULL OR EXISTS (SELECT 1 FROM notice_units u WHERE u.notice_id = n.id AND u.unit_id = ?))`,
  )
    .pluck()
    .get(...args, unit, unit) as number;
  const unitsNotified = statement(
    db,
    `SELECT COUNT(DISTINCT u.unit_id) FROM notice_units u JOIN notices n ON n.id = u.notice_id
     WHERE n.kind = ? AND ${published} AND (? IS NULL OR u.unit_id = ?)`,
  )
    .pluck()
    .get(CRITICISM, ...args, unit, unit) as number;
  return { noticesIssued, unitsNotified };
}
