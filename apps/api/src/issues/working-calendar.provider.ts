import type { Provider } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { CONFIG, DubanConfig } from '@duban/config';
import { CalendarData, chineseCalendar } from '@duban/domain';

export const WORKING_CALENDAR = Symbol('WORKING_CALENDAR');

/** The shipped PRC schedule, overlaid by WORKING_CALENDAR_FILE when configured (validated at start). */
export const workingCalendarProvider: Provider = {
  provide: WORKING_CALENDAR,
  inject: [CONFIG],
  useFactory: (config: DubanConfig) =>
    chineseCalendar(
      ...(config.workingCalendarFile
        ? [JSON.parse(readFileSync(config.workingCalendarFile, 'utf8')) as CalendarData]
        : []),
    ),
};
