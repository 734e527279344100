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
import { deterministicUuid } from '@duban/event-store';
import { LOGGER, Logger, METRICS, Metrics } from '@duban/common';
import { WORKER_ACTOR } from '../worker-context';
import type { DeadlineJobData } from './deadline-scheduler';

/**
 * A deadline step came due. Re-read the issue, check the step still applies, and record it as a command
 * (SendReminder, EscalateIssue) — with every earlier step of the same deadline that is due and not yet
 * recorded, oldest first, so a worker that was down catches up in order. The decider refuses what no
 * longer applies and records a repeat once; command ids derive from the step, so a job that runs twice
 * (a stalled job, two workers) appends nothing twice.
 */
@Injectable()
export class DeadlineProcessor {
  private readonly policy: DeadlinePolicy;
  private readonly lateness: Histogram<string>;

  constructor(
    @Inject(CONFIG) config: DubanConfig,
    private readonly commands: CommandRunner,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.policy = { reminders: config.deadlineReminders, escalations: config.deadlineEscalations };
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

  async process(job: Job<DeadlineJobData>, token?: string): Promise<string> {
    const { issueId, deadlineVersion, step } = job.data;
    const due = Date.parse(step.dueAt);
    if (due > Date.now()) {
      // clocks differ between Redis and this host: come back when it is really due
      await job.moveToDelayed(due, token);
      throw new DelayedError();
    }
    let loaded: LoadedAggregate<IssueState> | undefined = await this.commands.load(issueStream(issueId), issueDecider);
    const view = deadlineViewOf(loaded.state);
    if (!view?.open || view.deadlineVersion !== deadlineVersion) return 'no longer applies';
    const now = new Date().toISOString();
    const outstanding = dueSteps(deadlineSteps(this.policy, view), now, view).filter((s) => s.dueAt <= step.dueAt);
    const recorded: string[] = [];
    for (const s of outstanding) {
      // the first step decides on the state just read; later ones read again
      if (await this.record(issueId, deadlineVersion, s, job.id!, loaded)) recorded.push(stepKey(s));
      loaded = undefined;
    }
    return recorded.length ? `recorded ${recorded.join(', ')}` : 'nothing to record';
  }

  private async record(
    issueId: string,
    deadlineVersion: number,
    step: DeadlineStep,
    jobId: string,
    loaded?: LoadedAggregate<IssueState>,
  ): Promise<boolean> {
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
    if (outcome.status === 'skipped' || outcome.events.length === 0) return false;
    this.lateness.observe({ kind: step.kind }, (Date.parse(at) - Date.parse(step.dueAt)) / 1000);
    this.logger.info({ issueId, deadlineVersion, step: stepKey(step), dueAt: step.dueAt }, `${command.type} recorded`);
    return true;
  }
}
