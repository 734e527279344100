import type Database from 'better-sqlite3';
import { CALENDAR_EVENT_TYPES, CalendarYearSchedule } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { statement } from '../statements';

/** The year schedules loaded at runtime (PUT /admin/calendar/:year): the API and the worker overlay them on the shipped calendar. */
export const calendarProjection: Projection = {
  name: 'calendar',
  version: 1,
  schema: [
    `CREATE TABLE IF NOT EXISTS calendar_years (
      year INTEGER PRIMARY KEY, holidays TEXT NOT NULL, workdays TEXT NOT NULL, source TEXT NOT NULL,
      loaded_at TEXT NOT NULL, position INTEGER NOT NULL
    )`,
  ],
  handles: new Set(CALENDAR_EVENT_TYPES),
  apply(db: Database.Database, event: RecordedEvent) {
    const d = event.data as CalendarYearSchedule & { at: string };
    statement(
      db,
      `INSERT INTO calendar_years (year, holidays, workdays, source, loaded_at, position) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (year) DO UPDATE SET holidays = excluded.holidays, workdays = excluded.workdays,
         source = excluded.source, loaded_at = excluded.loaded_at, position = excluded.position`,
    ).run(d.year, JSON.stringify(d.holidays), JSON.stringify(d.workdays), d.source, d.at, event.position);
  },
};

/** Every loaded schedule, by year, and the position of the latest load (a cheap key to cache the calendar on). */
export function loadedCalendarYears(db: Database.Database): { schedules: CalendarYearSchedule[]; position: number } {
  const rows = statement(
    db,
    'SELECT year, holidays, workdays, source, position FROM calendar_years ORDER BY year',
  ).all() as {
    year: number;
    holidays: string;
    workdays: string;
    source: string;
    position: number;
  }[];
  return {
    schedules: rows.map((r) => ({
      year: r.year,
      holidays: JSON.parse(r.holidays) as string[],
      workdays: JSON.parse(r.workdays) as string[],
      source: r.source,
    })),
    position: rows.reduce((max, r) => Math.max(max, r.position), 0),
  };
}
