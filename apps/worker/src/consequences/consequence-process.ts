import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { CommandRunner, consequencesStream, issueStream, noticeStream, runSystemCommand } from '@duban/application';
import { LOGGER, Logger } from '@duban/common';
import { CONFIG, DubanConfig } from '@duban/config';
import {
  AlreadyExists,
  CalendarData,
  CommandActor,
  InvalidCommand,
  IssueCommand,
  issueDecider,
  NoticeCommand,
  noticeDecider,
  Person,
  WorkingCalendar,
  workingCalendarFrom,
} from '@duban/domain';
import { deterministicUuid, EVENT_STORE, EventStore } from '@duban/event-store';
import { loadedCalendarYears, statement } from '@duban/projections';
import { WorkerReadModel } from '../read-model/worker-read-model';
import { cutOffDecider, ConsequencesCutOffSet } from './consequence-cutoff';
import { ConsequencePolicy, loadConsequencePolicy } from './consequence-policy';
import { consequenceSteps, Step, Trigger } from './consequence-rules';

/** Every follow-up is recorded with this actor. */
export const CONSEQUENCES_ACTOR: CommandActor = { id: 'system:consequences', role: 'system' };

/** A step's outcome: done (appended, or already appended by an earlier run), skipped (no longer applies) or refused. */
type Outcome = { step: string; status: 'done' | 'skipped' | 'refused'; reason?: string };

interface PendingRow {
  event_id: string;
  issue_id: string;
  rule: Trigger['rule'];
  misses: number;
}

/**
 * The consequences process manager: each trigger the read model recorded becomes its follow-up commands,
 * exactly once — each command's id derives from the rule, the step and the trigger's event id, so a run
 * repeated after a crash appends nothing twice — and the trigger is marked done only after all its steps.
 */
@Injectable()
export class ConsequenceProcess implements OnModuleInit {
  private policy!: ConsequencePolicy;
  /** triggers at or before this position of the log are not followed (see `establishCutOff`) */
  private cutOff!: ConsequencesCutOffSet['data'];
  private readonly calendarFile: CalendarData | null;
  /** a pause after each step (CONSEQUENCE_STEP_PAUSE_MS), so a test can kill the worker between two steps */
  private readonly stepPauseMs = Number(process.env.CONSEQUENCE_STEP_PAUSE_MS ?? 0) || 0;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly readModel: WorkerReadModel,
    private readonly runner: CommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    this.calendarFile = config.workingCalendarFile
      ? (JSON.parse(readFileSync(config.workingCalendarFile, 'utf8')) as CalendarData)
      : null;
  }

  /** Validated at start: a bad CONSEQUENCE_POLICY_FILE stops the worker with one line (app.init rejects). */
  async onModuleInit(): Promise<void> {
    this.policy = loadConsequencePolicy();
    this.cutOff = await this.establishCutOff();
  }

  /**
   * Where the consequences start, recorded once in the log (stream `consequences`): the first worker records the
   * head of the log at its start (CONSEQUENCES_FROM=head, the default) or 0 (`beginning`); every later start, of
   * any worker, reads that record back and ignores the variable, so a deployment onto an existing log never
   * applies the rules to the triggers that were already there, and a rebuilt read model starts from the same place.
   */
  private async establishCutOff(): Promise<ConsequencesCutOffSet['data']> {
    const from = this.config.consequencesFrom;
    const position = from === 'head' ? await this.store.headPosition() : 0;
    const meta = { at: new Date().toISOString(), actor: CONSEQUENCES_ACTOR };
    const result = await this.runner.execute({
      streamId: consequencesStream,
      decider: cutOffDecider,
      command: { type: 'SetConsequencesCutOff', data: { position, from }, meta },
      meta: { actor: CONSEQUENCES_ACTOR },
      name: 'SetConsequencesCutOff',
      maxAttempts: 3,
    });
    const cutOff = result.state!;
    this.logger.info(
      { cutOff: cutOff.position, from: cutOff.from, recordedAt: cutOff.at, recordedNow: result.events.length > 0 },
      `consequences follow triggers after position ${cutOff.position}`,
    );
    return cutOff;
  }

  async flush(): Promise<void> {
    const db = this.readModel.db;
    const before = statement(
      db,
      'UPDATE consequence_triggers SET done = 1, outcome = ? WHERE done = 0 AND position <= ?',
    ).run(JSON.stringify([{ step: 'none', status: 'skipped', reason: this.beforeCutOff() }]), this.cutOff.position);
    if (before.changes > 0)
      this.logger.info(
        { triggers: before.changes, cutOff: this.cutOff.position },
        'consequences skipped triggers before the cut-off',
      );
    const pending = statement(
      db,
      'SELECT event_id, issue_id, rule, misses FROM consequence_triggers WHERE done = 0 ORDER BY position',
    ).all() as PendingRow[];
    if (pending.length === 0) return;
    const calendar = workingCalendarFrom({ file: this.calendarFile, loaded: loadedCalendarYears(db).schedules });
    // one issue's triggers in log order; different issues side by side (the store folds their appends into group
    // commits), WORKER_CONCURRENCY issues at a time
    const byIssue = new Map<string, PendingRow[]>();
    for (const row of pending) byIssue.set(row.issue_id, [...(byIssue.get(row.issue_id) ?? []), row]);
    const queue = [...byIssue.values()];
    const lane = async () => {
      for (let rows = queue.shift(); rows; rows = queue.shift())
        for (const row of rows) await this.followAndMark(row, calendar);
    };
    const lanes = Array.from({ length: Math.min(this.config.workerConcurrency, queue.length) }, lane);
    const failed = (await Promise.allSettled(lanes)).find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  private async followAndMark(row: PendingRow, calendar: WorkingCalendar): Promise<void> {
    const trigger: Trigger = { eventId: row.event_id, issueId: row.issue_id, rule: row.rule, misses: row.misses };
    const outcomes = await this.follow(trigger, calendar);
    statement(this.readModel.db, 'UPDATE consequence_triggers SET done = 1, outcome = ? WHERE event_id = ?').run(
      JSON.stringify(outcomes),
      trigger.eventId,
    );
    this.logger.info(
      { rule: trigger.rule, issueId: trigger.issueId, trigger: trigger.eventId, outcomes },
      'consequences followed',
    );
  }

  /** The trigger's steps, computed from the issue's stream (not the read model, which may lag), run in order. */
  private async follow(trigger: Trigger, calendar: WorkingCalendar): Promise<Outcome[]> {
    const { state } = await this.runner.load(issueStream(trigger.issueId), issueDecider);
    const steps = consequenceSteps(trigger, state, this.policy, {
      principalOf: (unitId) => this.principalOf(unitId),
      notices: true,
    });
    if (steps.length === 0) return [{ step: 'none', status: 'skipped', reason: `nothing applies (${state.status})` }];
    const outcomes: Outcome[] = [];
    for (const step of steps) {
      outcomes.push(await this.run(trigger, step, calendar));
      if (this.stepPauseMs) await new Promise((resolve) => setTimeout(resolve, this.stepPauseMs));
    }
    return outcomes;
  }

  private async run(trigger: Trigger, step: Step, calendar: WorkingCalendar): Promise<Outcome> {
    const commandId = (part: string = step.step) =>
      deterministicUuid(`consequence|${trigger.rule}|${part}|${trigger.eventId}`);
    try {
      if (step.kind === 'notice') return await this.notice(trigger, step, commandId);
      const outcome = await runSystemCommand(this.runner, this.logger, {
        streamId: issueStream(trigger.issueId),
        decider: issueDecider,
        command: this.issueCommand(trigger, step, commandId(), calendar),
        commandId: commandId(),
        causationId: trigger.eventId,
      });
      return outcome.status === 'done'
        ? { step: step.step, status: 'done' }
        : { step: step.step, ...skipped(outcome.reason) };
    } catch (error) {
      // a command the domain refuses on its own terms never becomes valid by retrying: recorded, not retried
      if (error instanceof InvalidCommand || error instanceof AlreadyExists)
        return { step: step.step, status: 'refused', reason: error.message };
      throw error;
    }
  }

  /** The issue command of a step; the proposal's id derives from the trigger like the command's. */
  private issueCommand(
    trigger: Trigger,
    step: Exclude<Step, { kind: 'notice' }>,
    commandId: string,
    calendar: WorkingCalendar,
  ): IssueCommand {
    const issueId = trigger.issueId;
    const meta = { at: new Date().toISOString(), actor: CONSEQUENCES_ACTOR };
    switch (step.kind) {
      case 'record':
        return {
          type: 'RecordAccountability',
          data: { issueId, measure: step.measure, target: step.target, reason: step.reason },
          meta,
        };
      case 'escalate':
        return { type: 'EscalateIssue', data: { issueId, level: step.level, reason: step.reason }, meta };
      case 'propose':
        return {
          type: 'ProposeAccountability',
          data: {
            issueId,
            proposalId: commandId,
            kind: step.measure,
            target: step.target,
            reason: step.reason,
            causedBy: trigger.eventId,
          },
          meta,
        };
      case 'time_limit': {
        const counted = calendar.addWorkingDaysExplained(meta.at, step.workingDays, this.config.tzAgency);
        const data = {
          issueId,
          deadline: counted.deadline,
          deadlineWorkingDays: step.workingDays,
          provisionalYears: counted.provisionalYears,
          reason: step.reason,
        };
        return step.reopen ? { type: 'ReopenIssue', data, meta } : { type: 'OrderTimeLimit', data, meta };
      }
    }
  }

  /** 通报: a criticism notice naming the lead unit and the issue, created and published. */
  private async notice(
    trigger: Trigger,
    step: Extract<Step, { kind: 'notice' }>,
    commandId: (part?: string) => string,
  ): Promise<Outcome> {
    const noticeId = commandId('notice');
    const meta = () => ({ at: new Date().toISOString(), actor: CONSEQUENCES_ACTOR });
    const commands: NoticeCommand[] = [
      {
        type: 'CreateNotice',
        data: {
          noticeId,
          kind: 'criticism',
          title: step.title,
          body: step.body,
          unitIds: [step.unitId],
          issueIds: [trigger.issueId],
        },
        meta: meta(),
      },
      { type: 'PublishNotice', data: { noticeId }, meta: meta() },
    ];
    for (const command of commands) {
      const outcome = await runSystemCommand(this.runner, this.logger, {
        streamId: noticeStream(noticeId),
        decider: noticeDecider,
        command,
        commandId: commandId(`notice-${command.type}`),
        causationId: trigger.eventId,
      });
      if (outcome.status === 'skipped') return { step: step.step, ...skipped(outcome.reason) };
    }
    return { step: step.step, status: 'done' };
  }

  private beforeCutOff(): string {
    const { position, from, at } = this.cutOff;
    return `before the consequences' cut-off (position ${position}, CONSEQUENCES_FROM=${from}, recorded ${at})`;
  }

  /** The unit head (主要负责人) from the directory in the worker's read model. */
  private principalOf(unitId: string): Person | null {
    const row = statement(this.readModel.db, 'SELECT head FROM units WHERE id = ?').get(unitId) as
      { head: string | null } | undefined;
    return row?.head ? (JSON.parse(row.head) as Person) : null;
  }
}

const skipped = (reason: string) => ({ status: 'skipped' as const, reason });
