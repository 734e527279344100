import { DEFAULT_TIME_ZONE, WorkingCalendar } from './working-calendar';

/** What a working-day deadline was derived from: it is re-derived from these, never from the instant. */
export interface WorkingDayDeadlineBasis {
  /** the instant the count started from (the assignment's time) */
  start: string;
  workingDays: number;
  tz?: string;
}

/** The same basis counted against the calendar before and after a change of a year's schedule. */
export interface DeadlineRederivation {
  moved: boolean;
  previous: string;
  deadline: string;
  /** provisional years of the new count (empty once every year crossed is published) */
  provisionalYears: number[];
  /** the years the new count ran through; the change of a year outside them cannot move it */
  yearsCrossed: number[];
}

/**
 * Re-derives a working-day deadline after a calendar change, so the worker can record a new deadline
 * version only where the instant moves (a deadline given as an instant has no basis and never moves).
 */
export function rederiveWorkingDayDeadline(
  basis: WorkingDayDeadlineBasis,
  before: WorkingCalendar,
  after: WorkingCalendar,
): DeadlineRederivation {
  const tz = basis.tz ?? DEFAULT_TIME_ZONE;
  const previous = before.addWorkingDays(basis.start, basis.workingDays, tz);
  const now = after.addWorkingDaysExplained(basis.start, basis.workingDays, tz);
  return {
    moved: now.deadline !== previous,
    previous,
    deadline: now.deadline,
    provisionalYears: now.provisionalYears,
    yearsCrossed: now.yearsCrossed,
  };
}
