import type { CommandMeta } from '../decider';
import type { CalendarYearSchedule } from './calendar-schedule';

/**
 * Loads (or replaces) one year's official schedule at runtime; the stream is the year's
 * (`calendar-2027`), so `data.year` names the aggregate.
 */
export type LoadCalendarYear = { type: 'LoadCalendarYear'; data: CalendarYearSchedule; meta: CommandMeta };

export type CalendarCommand = LoadCalendarYear;
