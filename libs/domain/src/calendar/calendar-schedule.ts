import { DateTime } from 'luxon';
import { InvalidCommand } from '../errors';
import { requireInteger, requireText } from '../validation';

/** One year's official schedule as loaded at runtime (the State Council's notice); dates are local `YYYY-MM-DD`. */
export interface CalendarYearSchedule {
  year: number;
  /** days off, weekend days inside a holiday span included */
  holidays: string[];
  /** weekend days that are working days (调休上班) */
  workdays: string[];
  /** where the dates come from, e.g. the notice's title and date */
  source: string;
}

/** The years a schedule may be loaded for: the lunar library and the statutory rule are checked well inside these. */
export const CALENDAR_YEAR_RANGE = { min: 2000, max: 2100 } as const;

const SCHEDULE_FIELDS = ['year', 'holidays', 'workdays', 'source'];
const MAX_SOURCE_LENGTH = 500;

/** The first thing wrong with a year's lists: which list, which position, and why (naming the date). */
export interface ScheduleProblem {
  list: 'holidays' | 'workdays';
  index: number;
  reason: string;
}

/**
 * Checks the dates of one year (shared by the file check and the runtime validator): real `YYYY-MM-DD`
 * dates inside `year`, make-up working days on weekends only, no date in both lists, and, when asked,
 * no date twice in one list.
 */
export function findScheduleProblem(
  year: number,
  lists: { holidays: unknown[]; workdays: unknown[] },
  options: { refuseDuplicates: boolean },
): ScheduleProblem | null {
  const holidays = new Set<string>();
  for (const list of ['holidays', 'workdays'] as const) {
    const seen = new Map<string, number>();
    for (const [index, value] of lists[list].entries()) {
      const date = typeof value === 'string' ? parseDate(value) : null;
      if (!date) return { list, index, reason: `${JSON.stringify(value)} is not a YYYY-MM-DD date` };
      if (date.year !== year) return { list, index, reason: `${value} is not in ${year}` };
      if (options.refuseDuplicates && seen.has(value as string))
        return { list, index, reason: `${value} is listed twice (also ${list}[${seen.get(value as string)}])` };
      seen.set(value as string, index);
      if (list === 'holidays') holidays.add(value as string);
      if (list === 'workdays' && date.weekday <= 5)
        return {
          list,
          index,
          reason: `${value} is a weekday; only weekend days need listing as make-up working days`,
        };
      if (list === 'workdays' && holidays.has(value as string))
        return { list, index, reason: `${value} is listed both as a holiday and as a working day` };
    }
  }
  return null;
}

/**
 * A year's schedule as an administrator sends it, checked field by field: each refusal is an
 * InvalidCommand whose field is the list position (`holidays[3]`) and whose message names the date, so
 * the API can answer 400 saying which date is wrong. Returns the schedule with both lists sorted.
 */
export function validateCalendarYear(input: CalendarYearSchedule): CalendarYearSchedule {
  const unknown = Object.keys(input ?? {}).find((key) => !SCHEDULE_FIELDS.includes(key));
  if (unknown !== undefined)
    throw new InvalidCommand(unknown, `is not a field of a year's schedule (${SCHEDULE_FIELDS.join(', ')})`);
  const year = requireInteger('year', input.year, CALENDAR_YEAR_RANGE.min, CALENDAR_YEAR_RANGE.max);
  const source = requireText('source', input.source);
  if (source.length > MAX_SOURCE_LENGTH)
    throw new InvalidCommand('source', `must be at most ${MAX_SOURCE_LENGTH} characters`);
  for (const list of ['holidays', 'workdays'] as const)
    if (!Array.isArray(input[list])) throw new InvalidCommand(list, 'must be a list of YYYY-MM-DD dates');
  if (input.holidays.length === 0)
    throw new InvalidCommand('holidays', `must list the days off of ${year}; a published schedule always has some`);
  const problem = findScheduleProblem(year, input, { refuseDuplicates: true });
  if (problem) throw new InvalidCommand(`${problem.list}[${problem.index}]`, problem.reason);
  return { year, holidays: [...input.holidays].sort(), workdays: [...input.workdays].sort(), source };
}

/** A real date written exactly as `YYYY-MM-DD`, or null. */
export function parseDate(value: string): DateTime | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = DateTime.fromISO(value, { zone: 'UTC' });
  return date.isValid ? date : null;
}
