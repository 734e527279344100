export {
  addWorkingDays,
  addWorkingDaysExplained,
  CalendarDataError,
  chineseCalendar,
  DEFAULT_TIME_ZONE,
  endOfLocalDay,
  WorkingCalendar,
  workingCalendarFrom,
} from './working-calendar';
export type {
  CalendarData,
  CalendarLayer,
  CalendarSourceKind,
  CalendarYear,
  CalendarYearInfo,
  WorkingDaysResult,
} from './working-calendar';
export { STATUTORY_RULE, STATUTORY_RULE_FROM, statutoryHolidays } from './statutory-holidays';
export type { StatutoryDay, StatutoryHolidayName } from './statutory-holidays';
export { CALENDAR_YEAR_RANGE, validateCalendarYear } from './calendar-schedule';
export type { CalendarYearSchedule } from './calendar-schedule';
export { rederiveWorkingDayDeadline } from './deadline-rederivation';
export type { DeadlineRederivation, WorkingDayDeadlineBasis } from './deadline-rederivation';
export * from './calendar.commands';
export * from './calendar.events';
export * from './calendar.state';
export * from './calendar.decider';
