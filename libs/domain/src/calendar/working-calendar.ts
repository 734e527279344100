import { DateTime } from 'luxon';
import { CalendarYearSchedule, findScheduleProblem, parseDate } from './calendar-schedule';
import shipped from './cn-holidays.json';
import { STATUTORY_RULE, STATUTORY_RULE_FROM, statutoryHolidays } from './statutory-holidays';

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
  /** true: add these dates to the year already known (or to its statutory days); otherwise the year is replaced wholesale */
  merge?: boolean;
}

/** `{ "2026": CalendarYear, … }`; keys starting with `$` (e.g. `$comment`) are ignored. */
export type CalendarData = Record<string, CalendarYear | string>;

/**
 * Where a year's days come from: the data shipped with Duban, the agency's `WORKING_CALENDAR_FILE`, a
 * schedule loaded at runtime (`CalendarYearLoaded`), or, for a year none of these has, the statutory
 * rule (from 2025) or nothing but weekends (earlier years).
 */
export type CalendarSourceKind = 'shipped' | 'file' | 'runtime' | 'statutory' | 'weekends-only';

/** Calendar data tagged with where it comes from; plain `CalendarData` given to the constructor counts as `file`. */
export interface CalendarLayer {
  kind: 'shipped' | 'file' | 'runtime';
  data: CalendarData;
}

/** One line of `calendar.years()`: a year is provisional until its published schedule is known. */
export interface CalendarYearInfo {
  year: number;
  source: CalendarSourceKind;
  provisional: boolean;
  /** the notice the dates come from, or null (statutory or weekends only) */
  notice: string | null;
}

/** A working-day deadline and the calendar years it was counted through (the starting day's year excluded). */
export interface WorkingDaysResult {
  deadline: string;
  /** the years counted through that have no published schedule: the deadline may still move */
  provisionalYears: number[];
  yearsCrossed: number[];
}

/** Calendar data that cannot be right: a bad date, a date filed under another year, a weekday as a make-up day. */
export class CalendarDataError extends Error {
  constructor(message: string) {
    super(`calendar data: ${message}`);
    this.name = 'CalendarDataError';
  }
}

interface YearDays {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  source: string | null;
  kind: CalendarSourceKind;
  provisional: boolean;
}

/** More than a century of working days is a mistake, not a deadline (and bounds the loop). */
const MAX_WORKING_DAYS = 36_500;
const DAY_MS = 86_400_000;

/**
 * Which local dates are working days, built from layers of data (pure: no clock, no files). A date is a
 * working day when its year lists it under `workdays`, not one when listed under `holidays`, otherwise
 * when it is Monday to Friday. A year no layer has is provisional: from 2025 it knows the statutory
 * holidays (see statutory-holidays.ts), before that weekends only.
 */
export class WorkingCalendar {
  private readonly layers: readonly CalendarLayer[];
  private readonly scheduled: ReadonlyMap<number, YearDays>;

  /** Later layers override earlier ones year by year. */
  constructor(...layers: (CalendarData | CalendarLayer)[]) {
    this.layers = layers.map((layer) => (isLayer(layer) ? layer : { kind: 'file', data: layer }));
    const years = new Map<number, YearDays>();
    for (const { kind, data: layer } of this.layers) {
      for (const [key, value] of Object.entries(layer)) {
        if (key.startsWith('$')) continue;
        if (!/^\d{4}$/.test(key)) throw new CalendarDataError(`"${key}" is not a year`);
        const year = Number(key);
        const data = checkYear(year, value);
        const base = data.merge ? (years.get(year) ?? provisionalYear(year)) : undefined;
        years.set(year, {
          holidays: new Set([...(base?.holidays ?? []), ...data.holidays]),
          workdays: new Set([...(base?.workdays ?? []), ...data.workdays]),
          source: [base?.source, data.source].filter(Boolean).join('; ') || null,
          kind,
          provisional: base?.provisional ?? false,
        });
      }
    }
    this.scheduled = years;
  }

  /** A new calendar with `override` laid over this one (an agency's own years or corrections). */
  merge(override: CalendarData | CalendarLayer): WorkingCalendar {
    return new WorkingCalendar(...this.layers, override);
  }

  /** The years with holiday data, ascending. */
  get coveredYears(): number[] {
    return [...this.scheduled.keys()].sort((a, b) => a - b);
  }

  /** Where a year's schedule comes from, or null (no data, or none recorded). */
  sourceOf(year: number): string | null {
    return this.scheduled.get(year)?.source ?? null;
  }

  /** True while no published schedule is known for `year`: its make-up days and bridging days are unknown. */
  isProvisional(year: number): boolean {
    return this.daysOf(year).provisional;
  }

  /**
   * Every year from the first with data to the last with data or `through` (e.g. next year, given by the
   * caller, which has the clock), with where its days come from.
   */
  years(through?: number): CalendarYearInfo[] {
    const bounds = [...this.scheduled.keys(), ...(through === undefined ? [] : [through])];
    if (bounds.length === 0) return [];
    const list: CalendarYearInfo[] = [];
    for (let year = Math.min(...bounds); year <= Math.max(...bounds); year++) {
      const days = this.daysOf(year);
      list.push({ year, source: days.kind, provisional: days.provisional, notice: days.source });
    }
    return list;
  }

  /** `localDate` is `YYYY-MM-DD` in the agency's time zone. */
  isWorkingDay(localDate: string): boolean {
    const date = parseLocalDate(localDate);
    return this.isWorkingDate(localDate, date.year, date.weekday >= 6);
  }

  /**
   * The end (23:59:59.999 local time in `zone`) of the n-th working day after the local date of
   * `fromInstant`, as a UTC ISO instant: "within 5 working days" given on a Friday afternoon ends on
   * the next Friday night. The starting day never counts, working day or not.
   */
  addWorkingDays(fromInstant: string, n: number, zone: string = DEFAULT_TIME_ZONE): string {
    return this.addWorkingDaysExplained(fromInstant, n, zone).deadline;
  }

  /** `addWorkingDays`, also telling which years were counted through and which of them are provisional. */
  addWorkingDaysExplained(fromInstant: string, n: number, zone: string = DEFAULT_TIME_ZONE): WorkingDaysResult {
    if (!Number.isInteger(n) || n < 1 || n > MAX_WORKING_DAYS)
      throw new RangeError(`n must be a whole number of working days from 1 to ${MAX_WORKING_DAYS} (got ${n})`);
    const day = DateTime.fromISO(fromInstant, { zone });
    if (!day.isValid)
      throw new RangeError(
        `"${fromInstant}" is not an ISO-8601 instant, or "${zone}" is not a time zone (${day.invalidExplanation ?? day.invalidReason})`,
      );
    const crossed = new Set<number>();
    // Counted on plain UTC dates (cheap), then the last one's end of day is placed in the zone.
    let date = new Date(Date.UTC(day.year, day.month - 1, day.day));
    for (let counted = 0; counted < n;) {
      date = new Date(date.getTime() + DAY_MS);
      const year = date.getUTCFullYear();
      crossed.add(year);
      const weekend = date.getUTCDay() === 0 || date.getUTCDay() === 6;
      if (this.isWorkingDate(date.toISOString().slice(0, 10), year, weekend)) counted++;
    }
    const yearsCrossed = [...crossed];
    return {
      deadline: endOfLocalDay(date.toISOString().slice(0, 10), zone),
      provisionalYears: yearsCrossed.filter((year) => this.isProvisional(year)),
      yearsCrossed,
    };
  }

  /** The data this calendar was built from, merged: feed it to another calendar. */
  toData(): CalendarData {
    const data: CalendarData = {};
    for (const year of this.coveredYears) {
      const days = this.scheduled.get(year)!;
      data[String(year)] = {
        holidays: [...days.holidays].sort(),
        workdays: [...days.workdays].sort(),
        ...(days.source ? { source: days.source } : {}),
      };
    }
    return data;
  }

  /** Listed make-up days work, listed holidays rest, otherwise weekdays work. */
  private isWorkingDate(localDate: string, year: number, weekend: boolean): boolean {
    const days = this.daysOf(year);
    if (days.workdays.has(localDate)) return true;
    return !weekend && !days.holidays.has(localDate);
  }

  private daysOf(year: number): YearDays {
    return this.scheduled.get(year) ?? provisionalYear(year);
  }
}

const isLayer = (layer: CalendarData | CalendarLayer): layer is CalendarLayer =>
  typeof layer.kind === 'string' && typeof layer.data === 'object' && layer.data !== null;

/** Computed once per year: the lunar dates do not change. */
const provisionalYears = new Map<number, YearDays>();
const WEEKENDS_ONLY: YearDays = {
  holidays: new Set(),
  workdays: new Set(),
  source: null,
  kind: 'weekends-only',
  provisional: true,
};

function provisionalYear(year: number): YearDays {
  if (year < STATUTORY_RULE_FROM) return WEEKENDS_ONLY;
  let days = provisionalYears.get(year);
  if (!days) {
    const holidays = new Set(statutoryHolidays(year).map((day) => day.date));
    days = { holidays, workdays: new Set(), source: STATUTORY_RULE, kind: 'statutory', provisional: true };
    provisionalYears.set(year, days);
  }
  return days;
}

function parseLocalDate(localDate: string): DateTime {
  const date = typeof localDate === 'string' ? parseDate(localDate) : null;
  if (!date) throw new RangeError(`"${localDate}" is not a date (YYYY-MM-DD)`);
  return date;
}

function checkYear(year: number, value: unknown): CalendarYear {
  if (typeof value !== 'object' || value === null)
    throw new CalendarDataError(`${year} must be {holidays: [...], workdays: [...]}`);
  const { holidays, workdays, source, merge } = value as Partial<CalendarYear>;
  for (const [name, list] of Object.entries({ holidays, workdays }))
    if (!Array.isArray(list)) throw new CalendarDataError(`${year}.${name} must be a list of YYYY-MM-DD dates`);
  const lists = { holidays: holidays!, workdays: workdays! };
  const problem = findScheduleProblem(year, lists, { refuseDuplicates: false });
  if (problem) throw new CalendarDataError(`${year}.${problem.list}: ${problem.reason}`);
  return { ...lists, ...(typeof source === 'string' ? { source } : {}), merge: merge === true };
}

/** The PRC schedule shipped with Duban (2024–2026, see cn-holidays.json), with an agency's data laid over it. */
export function chineseCalendar(...overrides: CalendarData[]): WorkingCalendar {
  return new WorkingCalendar({ kind: 'shipped', data: shipped as CalendarData }, ...overrides);
}

/**
 * The calendar the API and the worker count with: the shipped schedule, then the agency's
 * `WORKING_CALENDAR_FILE` (when configured), then the schedules loaded at runtime in the order they were
 * loaded (a later one for the same year wins).
 */
export function workingCalendarFrom(
  overlays: { file?: CalendarData | null; loaded?: readonly CalendarYearSchedule[] } = {},
): WorkingCalendar {
  const loaded = (overlays.loaded ?? []).map(({ year, holidays, workdays, source }): CalendarLayer => ({
    kind: 'runtime',
    data: { [String(year)]: { holidays, workdays, source } },
  }));
  const file: CalendarLayer[] = overlays.file ? [{ kind: 'file', data: overlays.file }] : [];
  return new WorkingCalendar({ kind: 'shipped', data: shipped as CalendarData }, ...file, ...loaded);
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

/** `calendar.addWorkingDaysExplained` as a function: the deadline and the provisional years it was counted through. */
export function addWorkingDaysExplained(
  calendar: WorkingCalendar,
  fromInstant: string,
  n: number,
  zone: string = DEFAULT_TIME_ZONE,
): WorkingDaysResult {
  return calendar.addWorkingDaysExplained(fromInstant, n, zone);
}

/** The end of a local date's working day in `zone` (a deadline given as a date), as a UTC ISO instant. */
export function endOfLocalDay(localDate: string, zone: string = DEFAULT_TIME_ZONE): string {
  const date = parseLocalDate(localDate);
  const local = DateTime.fromObject({ year: date.year, month: date.month, day: date.day }, { zone });
  if (!local.isValid) throw new RangeError(`"${zone}" is not a time zone`);
  return local.endOf('day').toUTC().toISO()!;
}
