import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import {
  CommandRunner,
  consequencesStream,
  issueStream,
  LoadedAggregate,
  noticeStream,
  runSystemCommands,
} from '@duban/application';
import { LOGGER, Logger } from '@duban/common';
import { CONFIG, DubanConfig } from '@duban/config';
import {
  AlreadyExists,
  CalendarData,
  CommandActor,
  InvalidCommand,
  IssueCommand,
  issueDecider,
  IssueState,
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

type IssueStep = Exclude<Step, { kind: 'notice' }>;
type NoticeStep = Extract<Step, { kind: 'notice' }>;

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
  /**
   * CONSEQUENCE_STEP_PAUSE_MS: the notice waits this long after the issue's follow-ups instead of being written
   * beside them, so a test can kill the worker midway through a trigger
   */
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

  /**
   * The trigger's steps, computed from the issue's stream (not the read model, which may lag). The issue's
   * follow-ups go in one append (one durable write, all or none); the notice, another stream, is written beside it.
   */
  private async follow(trigger: Trigger, calendar: WorkingCalendar): Promise<Outcome[]> {
    const loaded = await this.runner.load(issueStream(trigger.issueId), issueDecider);
    const steps = consequenceSteps(trigger, loaded.state, this.policy, {
      principalOf: (unitId) => this.principalOf(unitId),
      notices: true,
    });
    if (steps.length === 0)
      return [{ step: 'none', status: 'skipped', reason: `nothing applies (${loaded.state.status})` }];
    const commandId = (part: string) => deterministicUuid(`consequence|${trigger.rule}|${part}|${trigger.eventId}`);
    const onIssue = steps.filter((step): step is IssueStep => step.kind !== 'notice');
    const notices = steps.filter((step): step is NoticeStep => step.kind === 'notice');
    const onIssueDone = () => this.issueFollowUps(trigger, onIssue, loaded, calendar, commandId);
    const noticesDone = () => Promise.all(notices.map((step) => this.notice(trigger, step, commandId)));
    const outcomes = this.stepPauseMs
      ? [...(await onIssueDone()), ...(await this.pause().then(noticesDone))]
      : (await Promise.all([onIssueDone(), noticesDone()])).flat();
    return steps.map((step) => outcomes.find((outcome) => outcome.step === step.step)!);
  }

  private async issueFollowUps(
    trigger: Trigger,
    steps: IssueStep[],
    loaded: LoadedAggregate<IssueState>,
    calendar: WorkingCalendar,
    commandId: (part: string) => string,
  ): Promise<Outcome[]> {
    if (steps.length === 0) return [];
    const results = await runSystemCommands(this.runner, this.logger, {
      streamId: issueStream(trigger.issueId),
      decider: issueDecider,
      commands: steps.map((step) => ({
        command: this.issueCommand(trigger, step, commandId(step.step), calendar),
        commandId: commandId(step.step),
      })),
      causationId: trigger.eventId,
      loaded,
    });
    return results.map((result, i) => {
      const step = steps[i].step;
      if (result.status === 'done') return { step, status: 'done' };
      if (result.status === 'skipped') return { step, ...skipped(result.reason) };
      return refused(step, result.error);
    });
  }

  /** The issue command of a step; the proposal's id derives from the trigger like the command's. */
  private issueCommand(trigger: Trigger, step: IssueStep, commandId: string, calendar: WorkingCalendar): IssueCommand {
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
  private async notice(trigger: Trigger, step: NoticeStep, commandId: (part: string) => string): Promise<Outcome> {
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
    try {
      const [created, published] = await runSystemCommands(this.runner, this.logger, {
        streamId: noticeStream(noticeId),
        decider: noticeDecider,
        commands: commands.map((command) => ({ command, commandId: commandId(`notice-${command.type}`) })),
        causationId: trigger.eventId,
      });
      for (const outcome of [created, published]) {
        if (outcome.status === 'skipped') return { step: step.step, ...skipped(outcome.reason) };
        if (outcome.status === 'refused') return refused(step.step, outcome.error);
      }
    } catch (error) {
      return refused(step.step, error);
    }
    return { step: step.step, status: 'done' };
  }

  private pause(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.stepPauseMs));
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

/** A command the domain refuses on its own terms never becomes valid by retrying: recorded, not retried. */
function refused(step: string, error: unknown): Outcome {
  if (error instanceof InvalidCommand || error instanceof AlreadyExists)
    return { step, status: 'refused', reason: error.message };
  throw error;
}
