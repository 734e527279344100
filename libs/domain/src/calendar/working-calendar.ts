import { DateTime } from 'luxon';
import shipped from './cn-holidays.json';

/** The agency time zone unless configured otherwise (`TZ_AGENCY`). */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** One year of a holiday schedule; dates are local `YYYY-MM-DD`. */
export interface CalendarYear {
  /** days off: 法定节假日, including the weekend days inside a holiday span */
  holidays: string[];
  /** weekend days that are working days: 调休上班 */
  workdays: string[];
  /** where the schedule comes from (e.g. the State Council notice) */
  source?: string;
  /** true: add these dates to the year already known; otherwise the year is replaced wholesale */
  merge?: boolean;
}

/** `{ "2026": CalendarYear, … }`; keys starting with `$` (e.g. `$comment`) are ignored. */
export type CalendarData = Record<string, CalendarYear | string>;

/** Calendar data that cannot be right: a bad date, a date filed under another year, a weekday as a make-up day. */
export class CalendarDataError extends Error {
  constructor(message: string) {
    super(`calendar data: ${message}`);
    this.name = 'CalendarDataError';
  }
}

interface YearDays {
  holidays: Set<string>;
  workdays: Set<string>;
  source: string | null;
}

/** More than a century of working days is a mistake, not a deadline (and bounds the loop). */
const MAX_WORKING_DAYS = 36_500;

/**
 * Which local dates are working days, built from data (pure: no clock, no files). Monday to Friday are
 * working days unless the data says otherwise; for a year without data that is all it knows (weekends
 * only), so add each new year's schedule when it is published (see README.md).
 */
export class WorkingCalendar {
  private readonly years: ReadonlyMap<number, YearDays>;

  /** Later layers override earlier ones year by year. */
  constructor(...layers: CalendarData[]) {
    const years = new Map<number, YearDays>();
    for (const layer of layers) {
      for (const [key, value] of Object.entries(layer)) {
        if (key.startsWith('$')) continue;
        if (!/^\d{4}$/.test(key)) throw new CalendarDataError(`"${key}" is not a year`);
        const year = Number(key);
        const data = checkYear(year, value);
        const base = data.merge ? years.get(year) : undefined;
        years.set(year, {
          holidays: new Set([...(base?.holidays ?? []), ...data.holidays]),
          workdays: new Set([...(base?.workdays ?? []), ...data.workdays]),
          source: [base?.source, data.source].filter(Boolean).join('; ') || null,
        });
      }
    }
    this.years = years;
  }

  /** A new calendar with `override` laid over this one (an agency's own years or corrections). */
  merge(override: CalendarData): WorkingCalendar {
    return new WorkingCalendar(this.toData(), override);
  }

  /** The years with holiday data, ascending. */
  get coveredYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  /** Where a year's schedule comes from, or null (no data, or none recorded). */
  sourceOf(year: number): string | null {
    return this.years.get(year)?.source ?? null;
  }

  /** `localDate` is `YYYY-MM-DD` in the agency's time zone. */
  isWorkingDay(localDate: string): boolean {
    const date = parseLocalDate(localDate);
    const year = this.years.get(date.year);
    if (year?.workdays.has(localDate)) return true;
    if (year?.holidays.has(localDate)) return false;
    return date.weekday <= 5;
  }

  /**
   * The end (23:59:59.999 local time in `zone`) of the n-th working day after the local date of
   * `fromInstant`, as a UTC ISO instant: "within 5 working days" given on a Friday afternoon ends on
   * the next Friday night. The starting day never counts, working day or not.
   */
  addWorkingDays(fromInstant: string, n: number, zone: string = DEFAULT_TIME_ZONE): string {
    if (!Number.isInteger(n) || n < 1 || n > MAX_WORKING_DAYS)
      throw new RangeError(`n must be a whole number of working days from 1 to ${MAX_WORKING_DAYS} (got ${n})`);
    let day = DateTime.fromISO(fromInstant, { zone });
    if (!day.isValid)
      throw new RangeError(
        `"${fromInstant}" is not an ISO-8601 instant, or "${zone}" is not a time zone (${day.invalidExplanation ?? day.invalidReason})`,
      );
    day = day.startOf('day');
    for (let counted = 0; counted < n;) {
      day = day.plus({ days: 1 });
      if (this.isWorkingDay(day.toISODate()!)) counted++;
    }
    return day.endOf('day').toUTC().toISO()!;
  }

  /** The data this calendar was built from, merged: feed it to another calendar. */
  toData(): CalendarData {
    const data: CalendarData = {};
    for (const year of this.coveredYears) {
      const days = this.years.get(year)!;
      data[String(year)] = {
        holidays: [...days.holidays].sort(),
        workdays: [...days.workdays].sort(),
        ...(days.source ? { source: days.source } : {}),
      };
    }
    return data;
  }
}

function parseLocalDate(localDate: string): DateTime {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(localDate) ? DateTime.fromISO(localDate, { zone: 'UTC' }) : null;
  if (!date?.isValid) throw new RangeError(`"${localDate}" is not a date (YYYY-MM-DD)`);
  return date;
}

function checkYear(year: number, value: unknown): CalendarYear {
  if (typeof value !== 'object' || value === null)
    throw new CalendarDataError(`${year} must be {holidays: [...], workdays: [...]}`);
  const { holidays, workdays, source, merge } = value as Partial<CalendarYear>;
  const checkDates = (list: unknown, name: string): string[] => {
    if (!Array.isArray(list)) throw new CalendarDataError(`${year}.${name} must be a list of YYYY-MM-DD dates`);
    return list.map((d) => {
      let date: DateTime;
      try {
        date = parseLocalDate(d as string);
      } catch {
        throw new CalendarDataError(`${year}.${name}: "${d}" is not a YYYY-MM-DD date`);
      }
      if (date.year !== year) throw new CalendarDataError(`${year}.${name}: ${d} is not in ${year}`);
      if (name === 'workdays' && date.weekday <= 5)
        throw new CalendarDataError(
          `${year}.workdays: ${d} is a weekday; only weekend days need listing as make-up working days`,
        );
      return d as string;
    });
  };
  const checked = { holidays: checkDates(holidays, 'holidays'), workdays: checkDates(workdays, 'workdays') };
  const both = checked.holidays.find((d) => checked.workdays.includes(d));
  if (both) throw new CalendarDataError(`${year}: ${both} is listed both as a holiday and as a working day`);
  return { ...checked, ...(typeof source === 'string' ? { source } : {}), merge: merge === true };
}

/** The PRC schedule shipped with Duban (2024–2026, see cn-holidays.json), with an agency's data laid over it. */
export function chineseCalendar(...overrides: CalendarData[]): WorkingCalendar {
  return new WorkingCalendar(shipped as CalendarData, ...overrides);
}

/** `calendar.addWorkingDays` as a function (kept for callers that hold the calendar separately). */
export function addWorkingDays(
  calendar: WorkingCalendar,
  fromInstant: string,
  n: number,
  zone: string = DEFAULT_TIME_ZONE,
): string {
  return calendar.addWorkingDays(fromInstant, n, zone);
}

/** The end of a local date's working day in `zone` (a deadline given as a date), as a UTC ISO instant. */
export function endOfLocalDay(localDate: string, zone: string = DEFAULT_TIME_ZONE): string {
  const date = parseLocalDate(localDate);
  const local = DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone });
  if (!local.isValid) throw new RangeError(`"${zone}" is not a time zone`);
  return local.endOf('day').toUTC().toISO()!;
}
