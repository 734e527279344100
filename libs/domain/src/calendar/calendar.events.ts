import type { CalendarYearSchedule } from './calendar-schedule';

/** The year's schedule as loaded (lists sorted), when (`at`, the command's time) and by whom (`by`, the actor's id). */
export type CalendarYearLoaded = {
  type: 'CalendarYearLoaded';
  data: CalendarYearSchedule & { at: string; by: string };
};

export type CalendarEvent = CalendarYearLoaded;
export type CalendarEventType = CalendarEvent['type'];

export const CALENDAR_EVENT_TYPES: readonly CalendarEventType[] = ['CalendarYearLoaded'];
