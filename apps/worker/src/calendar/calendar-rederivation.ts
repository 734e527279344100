import { Inject, Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { CommandRunner, issueStream, runSystemCommand } from '@duban/application';
import { LOGGER, Logger } from '@duban/common';
import { CONFIG, DubanConfig } from '@duban/config';
import { CalendarData, isOpenStatus, issueDecider, WorkingCalendar, workingCalendarFrom } from '@duban/domain';
import { deterministicUuid } from '@duban/event-store';
import { loadedCalendarYears, statement } from '@duban/projections';
import { WorkerReadModel } from '../read-model/worker-read-model';
import { WORKER_ACTOR } from '../worker-context';

interface PendingChange {
  event_id: string;
  year: number;
}

/** A day either side of the year: the read model keeps instants in UTC, the count runs in the agency's zone. */
const yearWindow = (year: number) => ({ from: `${year - 1}-12-31`, to: `${year + 1}-01-02` });

/**
 * When a year's holiday schedule is loaded (PUT /admin/calendar/:year), every open issue whose working-day
 * deadline was counted through that year is counted again from its start; where the instant moves, a new
 * deadline version (reason `calendar`) is recorded, and the scheduler moves its reminders and escalations.
 * Exactly once per issue and change: the command id derives from both, a counted-again deadline that no
 * longer moves records nothing, and a change is marked done only after all of its issues (a SIGKILL midway
 * leaves it pending, to be finished on restart).
 */
@Injectable()
export class CalendarRederivation {
  private readonly file: CalendarData | null;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly readModel: WorkerReadModel,
    private readonly runner: CommandRunner,
  ) {
    this.file = config.workingCalendarFile
      ? (JSON.parse(readFileSync(config.workingCalendarFile, 'utf8')) as CalendarData)
      : null;
  }

  async flush(): Promise<void> {
    const db = this.readModel.db;
    const pending = statement(
      db,
      'SELECT event_id, year FROM calendar_changes WHERE done = 0 ORDER BY position',
    ).all() as PendingChange[];
    if (pending.length === 0) return;
    const calendar = workingCalendarFrom({ file: this.file, loaded: loadedCalendarYears(db).schedules });
    for (const change of pending) {
      let moved = 0;
      for (const issueId of this.reachedBy(change.year)) {
        if (await this.rederive(issueId, change, calendar)) moved++;
      }
      statement(db, 'UPDATE calendar_changes SET done = 1 WHERE event_id = ?').run(change.event_id);
      this.logger.info({ year: change.year, moved }, 'working-day deadlines re-derived after a calendar change');
    }
  }

  /** Open issues whose working-day count ran through `year`: started before its end, due after its start. */
  private reachedBy(year: number): string[] {
    const { from, to } = yearWindow(year);
    const rows = statement(
      this.readModel.db,
      `SELECT d.issue_id FROM deadlines d JOIN deadline_states s ON s.issue_id = d.issue_id
       WHERE d.open = 1 AND d.deadline >= ? AND json_extract(s.state, '$.deadlineWorkingDays') IS NOT NULL
         AND json_extract(s.state, '$.deadlineCountedFrom') < ?`,
    ).all(from, to) as { issue_id: string }[];
    return rows.map((r) => r.issue_id);
  }

  /** Counts the deadline again from the issue's stream (not the read model, which may lag); true when it moved. */
  private async rederive(issueId: string, change: PendingChange, calendar: WorkingCalendar): Promise<boolean> {
    const loaded = await this.runner.load(issueStream(issueId), issueDecider);
    const { state } = loaded;
    if (!isOpenStatus(state.status) || state.deadlineWorkingDays === null || !state.deadlineCountedFrom) return false;
    const counted = calendar.addWorkingDaysExplained(
      state.deadlineCountedFrom,
      state.deadlineWorkingDays,
      this.config.tzAgency,
    );
    if (counted.deadline === state.deadline) return false;
    const outcome = await runSystemCommand(this.runner, this.logger, {
      streamId: issueStream(issueId),
      decider: issueDecider,
      command: {
        type: 'RederiveDeadline',
        data: {
          issueId,
          deadlineVersion: state.deadlineVersion,
          deadline: counted.deadline,
          provisionalYears: counted.provisionalYears,
          calendarYear: change.year,
        },
        meta: { at: new Date().toISOString(), actor: WORKER_ACTOR },
      },
      commandId: deterministicUuid(`calendar|${issueId}|${change.event_id}`),
      causationId: change.event_id,
      loaded,
    });
    return outcome.status === 'done' && outcome.events.length > 0;
  }
}
