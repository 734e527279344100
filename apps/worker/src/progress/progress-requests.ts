import { Inject, Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { DateTime } from 'luxon';
import { CONFIG, DubanConfig } from '@duban/config';
import { IssueCommand, issueDecider } from '@duban/domain';
import { CommandRunner, issueStream, runSystemCommand } from '@duban/application';
import { deterministicUuid } from '@duban/event-store';
import { jobId, LOGGER, Logger, QueueName } from '@duban/common';
import { WorkerReadModel } from '../read-model/worker-read-model';
import { QUEUE_SET, WORKER_ACTOR } from '../worker-context';

export const PROGRESS_REQUEST_JOB = 'progress-request';
export const PROGRESS_REMIND_JOB = 'progress-remind';
const SCHEDULER_ID = 'monthly-progress-request';

/** The cron of the monthly request, in the agency's time zone (BullMQ evaluates it with that zone). */
export function progressRequestCron(
  config: Pick<DubanConfig, 'progressRequestDay' | 'progressRequestHour' | 'tzAgency'>,
): { pattern: string; tz: string } {
  return { pattern: `0 0 ${config.progressRequestHour} ${config.progressRequestDay} * *`, tz: config.tzAgency };
}

/** The month a moment falls in and that month's request and due moments, all in the agency's zone. */
export function progressMonth(
  config: Pick<DubanConfig, 'progressRequestDay' | 'progressRequestHour' | 'progressDueDay' | 'tzAgency'>,
  at: number,
) {
  const local = DateTime.fromMillis(at, { zone: config.tzAgency });
  const requestAt = local.set({
    day: config.progressRequestDay,
    hour: config.progressRequestHour,
    minute: 0,
    second: 0,
    millisecond: 0,
  });
  const dueBy = local.set({ day: config.progressDueDay }).endOf('day');
  return { month: local.toFormat('yyyy-MM'), requestAt: requestAt.toMillis(), dueBy: dueBy.toUTC().toISO()! };
}

/**
 * 按月上报工作进度: on the configured day (cron in TZ_AGENCY) every open issue's units are asked for a
 * progress report due by the configured day; at that moment, issues with no report since get a reminder.
 * Both are commands on the issue (ProgressRequested, ProgressReminderSent): idempotent per month.
 */
@Injectable()
export class ProgressRequests {
  private readonly queue: Queue;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(QUEUE_SET) queues: Record<QueueName, Queue>,
    private readonly commands: CommandRunner,
    private readonly readModel: WorkerReadModel,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.queue = queues.progress;
  }

  /** Installs the cron and restores what a lost Redis forgot: this month's request (if its time has come) and reminder. */
  async reconcile(now = Date.now()): Promise<void> {
    await this.queue.upsertJobScheduler(SCHEDULER_ID, progressRequestCron(this.config), {
      name: PROGRESS_REQUEST_JOB,
      data: {},
    });
    const { month, requestAt, dueBy } = progressMonth(this.config, now);
    if (now >= requestAt && now < Date.parse(dueBy)) {
      await this.queue.add(
        PROGRESS_REQUEST_JOB,
        { month },
        { jobId: jobId('progress-request', month), removeOnComplete: { age: 40 * 86_400 } },
      );
    }
    if (now >= requestAt) await this.scheduleReminder(month, dueBy, now);
  }

  private async scheduleReminder(month: string, dueBy: string, now = Date.now()): Promise<void> {
    await this.queue.add(
      PROGRESS_REMIND_JOB,
      { month },
      {
        jobId: jobId('progress-remind', month, Date.parse(dueBy)),
        delay: Math.max(0, Date.parse(dueBy) + 1 - now),
        removeOnComplete: { age: 40 * 86_400 },
      },
    );
  }

  /** `month` and `dueBy` come with a request an administrator sends by hand; the cron's carry neither. */
  async request(job: Job<{ month?: string; dueBy?: string }>): Promise<string> {
    const now = Date.now();
    const current = progressMonth(this.config, now);
    const month = job.data.month ?? current.month;
    const dueBy =
      job.data.dueBy ??
      (month === current.month
        ? current.dueBy
        : progressMonth(this.config, DateTime.fromFormat(month, 'yyyy-MM', { zone: this.config.tzAgency }).toMillis())
            .dueBy);
    const count = await this.forEachOpenIssue(
      (issueId) => ({
        type: 'RequestProgress',
        data: { issueId, month, dueBy },
        meta: { at: new Date().toISOString(), actor: WORKER_ACTOR },
      }),
      `progress-request|${month}`,
      job.id!,
    );
    await this.scheduleReminder(month, dueBy, now);
    return `requested ${count} report(s) for ${month}`;
  }

  async remind(job: Job<{ month: string }>): Promise<string> {
    const { month } = job.data;
    const count = await this.forEachOpenIssue(
      (issueId) => ({
        type: 'RemindProgress',
        data: { issueId, month },
        meta: { at: new Date().toISOString(), actor: WORKER_ACTOR },
      }),
      `progress-remind|${month}`,
      job.id!,
      month,
    );
    return `reminded ${count} unit(s) for ${month}`;
  }

  /** Runs one command per open issue, a few at a time; counts the ones that recorded something. */
  private async forEachOpenIssue(
    command: (issueId: string) => IssueCommand,
    commandKey: string,
    jobId: string,
    requestedMonth?: string,
  ): Promise<number> {
    // a reminder only concerns issues asked that month; `open` is the domain's (deadlineViewOf)
    const ids = (
      this.readModel.db
        .prepare(
          'SELECT issue_id FROM deadlines WHERE open = 1 AND (? IS NULL OR progress_month = ?) ORDER BY issue_id',
        )
        .all(requestedMonth ?? null, requestedMonth ?? null) as { issue_id: string }[]
    ).map((r) => r.issue_id);
    let recorded = 0;
    let next = 0;
    const lane = async () => {
      while (next < ids.length) {
        const issueId = ids[next++];
        const outcome = await runSystemCommand(this.commands, this.logger, {
          streamId: issueStream(issueId),
          decider: issueDecider,
          command: command(issueId),
          commandId: deterministicUuid(`${commandKey}|${issueId}`),
          causationId: jobId,
        });
        if (outcome.status === 'done' && outcome.events.length) recorded++;
      }
    };
    await Promise.all(Array.from({ length: 16 }, lane));
    this.logger.info({ commandKey, issues: ids.length, recorded }, 'monthly progress step done');
    return recorded;
  }
}
