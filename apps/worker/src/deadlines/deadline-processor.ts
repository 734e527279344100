import { Inject, Injectable } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { Histogram } from 'prom-client';
import { CONFIG, DubanConfig } from '@duban/config';
import {
  automaticEscalationReason,
  deadlineSteps,
  DeadlinePolicy,
  DeadlineStep,
  deadlineViewOf,
  dueSteps,
  IssueCommand,
  issueDecider,
  IssueState,
  stepKey,
} from '@duban/domain';
import { CommandRunner, issueStream, LoadedAggregate, runSystemCommand } from '@duban/application';
import { deterministicUuid, EVENT_STORE, EventStore } from '@duban/event-store';
import { statement } from '@duban/projections';
import { LOGGER, Logger, METRICS, Metrics } from '@duban/common';
import { WorkerReadModel } from '../read-model/worker-read-model';
import { foldedIssue } from '../read-model/deadlines.projection';
import { WORKER_ACTOR } from '../worker-context';
import {
  DeadlineJobData,
  DeadlineJobPart,
  DeadlineProgressRow,
  DeadlineScheduler,
  outstandingStepsDueIn,
  SECOND,
  StepJobData,
  windowOf,
} from './deadline-scheduler';

/** Issues caught up at once within one job: their appends share group commits (one fsync for many). */
const ISSUES_AT_ONCE = 1000;
/** A window with more issues due than this is shared out in parts of this size, each a job of its own. */
const ISSUES_PER_PART = 1000;
/** How long a job that shared out parts keeps holding the read model back after its own part, for them to be taken. */
const PARTS_TAKEN_MS = 5000;
/** How long a job waits for the read model to reach the log's head before it comes back later. */
const CATCH_UP_MS = 5000;

/**
 * A deadline job came due: every open deadline with a step due in its window is caught up. The deadlines are
 * chosen in the worker's read model once it holds everything the log held when the job fired (so no deadline
 * scheduled by another worker is missed); for each issue, every step of its running deadline that is due and
 * not yet recorded is recorded, oldest first, as a command (SendReminder, EscalateIssue) — a worker that was
 * down catches up in order. The decider refuses what no longer applies and records a repeat once; every append
 * expects the revision it was decided on and command ids derive from (issue, version, step), so a job that runs
 * twice (a stalled job, two workers, two jobs covering one step) appends nothing twice. Many issues run side by
 * side, so their appends are group-committed together.
 */
@Injectable()
export class DeadlineProcessor {
  private readonly policy: DeadlinePolicy;
  private readonly lateness: Histogram<string>;
  /** how far a step's deadline lies from its due instant, once per distinct offset: the read model is searched by deadline */
  private readonly shifts: number[];

  constructor(
    @Inject(CONFIG) config: DubanConfig,
    private readonly commands: CommandRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: WorkerReadModel,
    private readonly scheduler: DeadlineScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.policy = { reminders: config.deadlineReminders, escalations: config.deadlineEscalations };
    this.shifts = [
      ...new Set([...this.policy.reminders.map((r) => r.ms), ...this.policy.escalations.map((e) => -e.ms)]),
    ];
    this.lateness =
      (metrics.registry.getSingleMetric('duban_deadline_step_lateness_seconds') as Histogram<string>) ??
      new Histogram({
        name: 'duban_deadline_step_lateness_seconds',
        help: 'From a reminder or escalation coming due to its event being recorded',
        labelNames: ['kind'],
        buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
        registers: [metrics.registry],
      });
  }

  async process(job: Job<DeadlineJobData | StepJobData>, token?: string): Promise<string> {
    const { from, to, part } = windowOf(job.data);
    // clocks differ between Redis and this host: come back when it is really due
    if (from > Date.now()) return this.comeBackAt(job, from, token);
    // every deadline in the log when this job fired (a part: when its window was shared out) must be in the read
    // model before the deadlines are chosen
    const position = part?.position ?? (await this.store.headPosition());
    if (!(await this.readModel.runner.waitFor(position, CATCH_UP_MS)))
      return this.comeBackAt(job, Date.now() + SECOND, token);
    const now = Date.now();
    const { due: all, next } = this.deadlinesDueIn(from, to, now, part);
    const { mine: due, parts } = part ? { mine: all, parts: [] } : await this.shareOut({ from, to }, all, position);
    const started = Date.now();
    let recorded = 0;
    let cursor = 0;
    const lane = async () => {
      while (cursor < due.length) {
        const steps = await this.catchUp(due[cursor++], job.id!);
        recorded += steps; // after the await: `recorded += await …` would add to a stale total
      }
    };
    // the read model folds these appends after the last is committed, not between them (it would double the burst)
    await this.readModel.runner.holdingBack(async () => {
      await Promise.all(Array.from({ length: Math.min(ISSUES_AT_ONCE, due.length) }, lane));
      // until the parts shared out are taken (here, they hold the read model back too): the read model would otherwise
      // fold this part's appends between the parts', as the decisions keep the queue from handing them out sooner
      const until = Date.now() + PARTS_TAKEN_MS;
      while (parts.length && Date.now() < until && (await this.scheduler.anyWaiting(parts)))
        await new Promise((resolve) => setTimeout(resolve, 50));
    });
    if (due.length)
      this.logger.info(
        {
          window: [new Date(from).toISOString(), new Date(to).toISOString()],
          part: part && [part.first, part.end],
          issues: due.length,
          recorded,
          ms: Date.now() - started,
        },
        'deadline steps recorded',
      );
    // the window's later steps (a job of its own covering several instants): come back for them
    if (next !== undefined) return this.comeBackAt(job, next, token);
    return `${recorded} step(s) recorded for ${due.length} issue(s)`;
  }

  /**
   * A crowded window's issues, by id, in parts of ISSUES_PER_PART: every part but the first becomes a job any
   * worker takes at once; this job keeps the first (the ids below the second part's first).
   */
  private async shareOut(
    window: { from: number; to: number },
    due: string[],
    position: number,
  ): Promise<{ mine: string[]; parts: string[] }> {
    if (due.length <= ISSUES_PER_PART) return { mine: due, parts: [] };
    const ids = [...due].sort();
    const firsts: string[] = [];
    for (let i = ISSUES_PER_PART; i < ids.length; i += ISSUES_PER_PART) firsts.push(ids[i]);
    const parts = await this.scheduler.addParts(
      window,
      firsts.map((first, i) => ({ first, end: firsts[i + 1] ?? null, position })),
    );
    return { mine: ids.slice(0, ISSUES_PER_PART), parts };
  }

  private async comeBackAt(job: Job, at: number, token?: string): Promise<never> {
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  }

  /**
   * The open deadlines, as the read model has them, with a step not yet recorded due in `[from, to)` by `now`,
   * and the earliest such step still ahead. A step is due `shift` before its deadline, so each distinct offset
   * is one range of the deadline index.
   */
  private deadlinesDueIn(
    from: number,
    to: number,
    now: number,
    part?: DeadlineJobPart,
  ): { due: string[]; next?: number } {
    const db = this.readModel.db;
    const inRange = statement(
      db,
      `SELECT issue_id, deadline, deadline_set_at, reminded, escalation_level FROM deadlines
        WHERE open = 1 AND deadline >= ? AND deadline < ? AND issue_id >= ? AND (? IS NULL OR issue_id < ?)`,
    );
    const [first, end] = part ? [part.first, part.end] : ['', null];
    const rows = new Map<string, DeadlineProgressRow>();
    for (const shift of this.shifts)
      for (const row of inRange.all(iso(from + shift), iso(to + shift), first, end, end) as DeadlineProgressRow[])
        rows.set(row.issue_id, row);
    const due: string[] = [];
    let next: number | undefined;
    for (const row of rows.values()) {
      let isDue = false;
      for (const at of outstandingStepsDueIn(this.policy, row, from, to)) {
        if (at <= now) isDue = true;
        else next = Math.min(next ?? at, at);
      }
      if (isDue) due.push(row.issue_id);
    }
    return { due, next };
  }

  /**
   * Records every step of the issue's running deadline that is due and not yet recorded, oldest first. The first
   * step decides on the read model's fold of the issue (caught up when the job fired), each later one on the state
   * the step before left: no stream read, and each append expects the revision its state reached, so a state gone
   * stale meanwhile is refused and the runner decides again on the stream. A step already recorded needs no
   * history to be found: the decider records a repeated reminder as nothing and refuses a repeated escalation.
   */
  private async catchUp(issueId: string, jobId: string): Promise<number> {
    const folded = foldedIssue(this.readModel.db, issueId);
    let loaded: LoadedAggregate<IssueState> | undefined = folded
      ? { ...folded, events: [] }
      : await this.commands.load(issueStream(issueId), issueDecider);
    const view = deadlineViewOf(loaded.state);
    if (!view?.open) return 0;
    let recorded = 0;
    for (const step of dueSteps(deadlineSteps(this.policy, view), new Date().toISOString(), view)) {
      const outcome = await this.record(issueId, view.deadlineVersion, step, jobId, loaded);
      if (outcome.recorded) recorded++;
      // the next step decides on the state this one left (its append expects that revision); after a skip, reads again
      loaded = outcome.after;
    }
    return recorded;
  }

  private async record(
    issueId: string,
    deadlineVersion: number,
    step: DeadlineStep,
    jobId: string,
    loaded?: LoadedAggregate<IssueState>,
  ): Promise<{ recorded: boolean; after?: LoadedAggregate<IssueState> }> {
    const at = new Date().toISOString();
    const meta = { at, actor: WORKER_ACTOR };
    const command: IssueCommand =
      step.kind === 'reminder'
        ? { type: 'SendReminder', data: { issueId, deadlineVersion, offset: step.offset }, meta }
        : {
            type: 'EscalateIssue',
            data: {
              issueId,
              level: step.level,
              reason: automaticEscalationReason(step.level, step.dueAt),
              automatic: true,
              deadlineVersion,
            },
            meta,
          };
    const outcome = await runSystemCommand(this.commands, this.logger, {
      streamId: issueStream(issueId),
      decider: issueDecider,
      command,
      loaded,
      commandId: deterministicUuid(`deadline|${issueId}|${deadlineVersion}|${stepKey(step)}`),
      causationId: jobId,
    });
    // skipped: the issue moved on (closed, result reported, escalated by hand…), so the step is done
    if (outcome.status === 'skipped') return { recorded: false };
    const after = { state: outcome.state, revision: outcome.revision, events: [] };
    if (outcome.events.length === 0) return { recorded: false, after };
    this.lateness.observe({ kind: step.kind }, (Date.now() - Date.parse(step.dueAt)) / 1000);
    this.logger.debug({ issueId, deadlineVersion, step: stepKey(step), dueAt: step.dueAt }, `${command.type} recorded`);
    return { recorded: true, after };
  }
}

const iso = (ms: number) => new Date(ms).toISOString();
