import { DateTime } from 'luxon';
import shipped from './cn-holidays.json';

/** Per year: days off (法定节假日) and weekend days that are working days (调休上班), as `YYYY-MM-DD`. */
export type CalendarData = Record<string, { holidays: string[]; workdays: string[] } | string>;

/**
 * Which local dates are working days. Outside the years it has data for, Monday to Friday are.
 * Pure: built from data; the shipped PRC schedule can be overlaid by an agency's own file.
 */
export class WorkingCalendar {
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();
  private readonly years = new Set<number>();

  constructor(...layers: CalendarData[]) {
    for (const layer of layers) {
      for (const [year, value] of Object.entries(layer)) {
        if (!/^\d{4}$/.test(year) || typeof value !== 'object') continue;
        this.years.add(Number(year));
        // a later layer replaces a year wholesale: an agency's file is the whole truth for its years
        for (const d of [...this.holidays]) if (d.startsWith(year)) this.holidays.delete(d);
        for (const d of [...this.workdays]) if (d.startsWith(year)) this.workdays.delete(d);
        for (const d of value.holidays) this.holidays.add(checkDate(d));
        for (const d of value.workdays) this.workdays.add(checkDate(d));
      }
    }
  }

  /** the years with official data */
  get coveredYears(): number[] {
    return [...this.years].sort();
  }

  isWorkingDay(localDate: string): boolean {
    if (this.workdays.has(localDate)) return true;
    if (this.holidays.has(localDate)) return false;
    const weekday = DateTime.fromISO(localDate, { zone: 'UTC' }).weekday;
    return weekday <= 5;
  }
}

function checkDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value).isValid) throw new Error(`calendar data: "${value}" is not a YYYY-MM-DD date`);
  return value;
}

/** The calendar shipped with Duban (PRC schedule), optionally overlaid by more data. */
export function chineseCalendar(...overrides: CalendarData[]): WorkingCalendar {
  return new WorkingCalendar(shipped as unknown as CalendarData, ...overrides);
}

/**
 * The end (23:59:59.999 local time in `zone`) of the n-th working day after the local date of
 * `fromInstant`. "Within 5 working days" from a Friday afternoon ends on the next Friday night.
 */
export function addWorkingDays(calendar: WorkingCalendar, fromInstant: string, n: number, zone: string): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('n must be a positive whole number of working days');
  let day = DateTime.fromISO(fromInstant, { zone }).startOf('day');
  if (!day.isValid) throw new RangeError(`"${fromInstant}" is not an ISO-8601 instant`);
  let counted = 0;
  while (counted < n) {
    day = day.plus({ days: 1 });
    if (calendar.isWorkingDay(day.toISODate()!)) counted++;
  }
  return day.endOf('day').toUTC().toISO()!;
}

/** The end of a given local date's working day in `zone` (a deadline given as a date). */
export function endOfLocalDay(localDate: string, zone: string): string {
  return DateTime.fromISO(localDate, { zone }).endOf('day').toUTC().toISO()!;
}
