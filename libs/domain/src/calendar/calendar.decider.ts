import type { Decider } from '../decider';
import { InvalidCommand } from '../errors';
import { requireInstant, requireText } from '../validation';
import { validateCalendarYear } from './calendar-schedule';
import type { CalendarCommand, LoadCalendarYear } from './calendar.commands';
import type { CalendarEvent } from './calendar.events';
import { CalendarYearState, evolveCalendarYear, initialCalendarYearState } from './calendar.state';

/**
 * Records a year's schedule, checked date by date. Loading the schedule already in force decides
 * nothing, so a repeated PUT leaves no trace and re-derives no deadline.
 */
export function loadCalendarYear(command: LoadCalendarYear, state: CalendarYearState): CalendarEvent[] {
  const at = requireInstant('meta.at', command.meta.at);
  const by = requireText('meta.actor.id', command.meta.actor?.id);
  const schedule = validateCalendarYear(command.data);
  const current = state.loaded;
  if (current && current.year !== schedule.year)
    throw new InvalidCommand('year', `names ${schedule.year} but this is the stream of ${current.year}`);
  if (
    current &&
    current.source === schedule.source &&
    sameDates(current.holidays, schedule.holidays) &&
    sameDates(current.workdays, schedule.workdays)
  )
    return [];
  return [{ type: 'CalendarYearLoaded', data: { ...schedule, at, by } }];
}

/** Both lists are sorted (the validator sorts them before they are recorded). */
const sameDates = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((date, i) => date === b[i]);

export function decideCalendarYear(command: CalendarCommand, state: CalendarYearState): CalendarEvent[] {
  switch (command.type) {
    case 'LoadCalendarYear':
      return loadCalendarYear(command, state);
    default: {
      const unknown: never = command.type;
      throw new InvalidCommand('type', `unknown calendar command ${String(unknown)}`);
    }
  }
}

/** One aggregate per year (stream `calendar-<year>`). */
export const calendarDecider: Decider<CalendarYearState, CalendarCommand, CalendarEvent> = {
  decide: decideCalendarYear,
  evolve: evolveCalendarYear,
  initialState: initialCalendarYearState,
};
