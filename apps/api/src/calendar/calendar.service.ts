import { Inject, Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { calendarStream, CommandRunner } from '@duban/application';
import { CONFIG, DubanConfig } from '@duban/config';
import {
  CalendarData,
  calendarDecider,
  CalendarYearSchedule,
  WorkingCalendar,
  workingCalendarFrom,
} from '@duban/domain';
import { loadedCalendarYears } from '@duban/projections';
import { CommandAnswer, now } from '../application/commands';
import { actorOf } from '../application/principal-actor';
import type { Caller } from '../http/caller';
import { ReadModelService } from '../read-model/read-model.service';

/**
 * The working-day calendar in force: the shipped PRC schedule, WORKING_CALENDAR_FILE over it, and the years
 * loaded at runtime over both (a year with none of these is provisional: statutory holidays only). Rebuilt
 * only when a load changed the read model.
 */
@Injectable()
export class CalendarService {
  private readonly file: CalendarData | null;
  private cached?: { position: number; calendar: WorkingCalendar };

  constructor(
    @Inject(CONFIG) config: DubanConfig,
    private readonly runner: CommandRunner,
    private readonly readModel: ReadModelService,
  ) {
    this.file = config.workingCalendarFile
      ? (JSON.parse(readFileSync(config.workingCalendarFile, 'utf8')) as CalendarData)
      : null;
  }

  current(): WorkingCalendar {
    const { schedules, position } = loadedCalendarYears(this.readModel.db);
    if (this.cached?.position !== position || !this.cached) {
      this.cached = { position, calendar: workingCalendarFrom({ file: this.file, loaded: schedules }) };
    }
    return this.cached.calendar;
  }

  /** A deadline counted through these years is provisional while any of them has no published schedule. */
  anyProvisional(years: readonly number[]): boolean {
    const calendar = this.current();
    return years.some((year) => calendar.isProvisional(year));
  }

  /** Records a year's official schedule; the answer waits until this process's calendar has it. */
  async load(schedule: CalendarYearSchedule, caller: Caller): Promise<CommandAnswer> {
    const actor = actorOf(caller.principal);
    const result = await this.runner.execute({
      streamId: calendarStream(schedule.year),
      decider: calendarDecider,
      command: { type: 'LoadCalendarYear', data: schedule, meta: { at: now(), actor } },
      ifMatch: caller.ifMatch,
      meta: { actor },
      name: 'LoadCalendarYear',
    });
    await this.readModel.ensure(result.position);
    return { id: String(schedule.year), revision: result.revision, position: result.position };
  }
}
