import type { CalendarEvent, CalendarYearLoaded } from './calendar.events';

/** One year's runtime schedule: the latest load replaces the earlier ones wholesale. */
export interface CalendarYearState {
  loaded: CalendarYearLoaded['data'] | null;
}

export function initialCalendarYearState(): CalendarYearState {
  return { loaded: null };
}

export function evolveCalendarYear(state: CalendarYearState, event: CalendarEvent): CalendarYearState {
  switch (event.type) {
    case 'CalendarYearLoaded':
      return { loaded: event.data };
    default:
      return state;
  }
}
