import type Database from 'better-sqlite3';
import { UNIT_EVENT_TYPES } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';

/** The unit directory: one row per unit, for listing and lookups by code. */
export const unitsProjection: Projection = {
  name: 'units',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS units (
      id TEXT PRIMARY KEY, code TEXT NOT NULL, name TEXT NOT NULL, parent_id TEXT, head TEXT, contacts TEXT NOT NULL,
      status TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, revision INTEGER NOT NULL
    )`,
    'CREATE UNIQUE INDEX IF NOT EXISTS units_code ON units (code)',
    'CREATE INDEX IF NOT EXISTS units_parent ON units (parent_id)',
  ],
  handles: new Set(UNIT_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    const d = event.data;
    const touch = (sql: string, ...values: unknown[]) =>
      db
        .prepare(`UPDATE units SET ${sql}, updated_at = ?, revision = ? WHERE id = ?`)
        .run(...values, d.at, event.revision, d.unitId);
    switch (event.type) {
      case 'UnitCreated':
        db.prepare(
          'INSERT INTO units (id, code, name, parent_id, head, contacts, status, created_at, updated_at, revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          d.unitId,
          d.code,
          d.name,
          d.parentId,
          d.head ? JSON.stringify(d.head) : null,
          JSON.stringify(d.contacts ?? {}),
          'active',
          d.at,
          d.at,
          event.revision,
        );
        return;
      case 'UnitRenamed':
        touch('name = ?', d.name);
        return;
      case 'UnitMoved':
        touch('parent_id = ?', d.parentId);
        return;
      case 'UnitHeadSet':
        touch('head = ?', JSON.stringify(d.head));
        return;
      case 'UnitContactsSet':
        touch('contacts = ?', JSON.stringify(d.contacts));
        return;
      case 'UnitDeactivated':
        touch("status = 'deactivated'");
        return;
    }
  },
};

export interface UnitRow {
  id: string;
  code: string;
  name: string;
  parent_id: string | null;
  head: string | null;
  contacts: string;
  status: string;
  created_at: string;
  updated_at: string;
  revision: number;
}

export function unitFromRow(row: UnitRow) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    parentId: row.parent_id,
    head: row.head ? JSON.parse(row.head) : null,
    contacts: JSON.parse(row.contacts),
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: row.revision,
  };
}
