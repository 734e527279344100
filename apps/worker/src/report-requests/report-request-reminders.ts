import { Inject, Injectable } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { CONFIG, DubanConfig } from '@duban/config';
import { ReportRequestCommand, reportRequestDecider } from '@duban/domain';
import { CommandRunner, reportRequestStream, runSystemCommand } from '@duban/application';
import { deterministicUuid } from '@duban/event-store';
import { jobId, LOGGER, Logger, QueueName } from '@duban/common';
import { statement } from '@duban/projections';
import { WorkerReadModel } from '../read-model/worker-read-model';
import { QUEUE_SET, WORKER_ACTOR } from '../worker-context';
import type { ReportRequestScheduleRow } from './report-request-schedule.projection';

export const REPORT_STEP_JOB = 'report-step';

/** One step of chasing a request: a reminder `offset` before the due instant, or the overdue record at it. */
export interface ReportStepJobData {
  reportRequestId: string;
  step: 'remind' | 'overdue';
  /** the reminder's ISO-8601 duration before the due instant */
  offset?: string;
  dueAt: string;
}

/** A step that fired before its time (clock skew between Redis and this host) is tried again shortly. */
class NotYet extends Error {}

/**
 * 报送要求, chased like the monthly progress reports (`../progress`): one delayed job per (request, step) on the
 * progress queue with a deterministic id, queued after each batch for new requests and again by the reconciler
 * (so a lost Redis or a restart loses no step); each step is a command on the request (UnitReportsReminded,
 * UnitReportsOverdue) with a command id derived from the step, so a repeat appends nothing. Reminders use the
 * deadline policy's offsets (DEADLINE_REMINDERS) greater than zero; an offset that fell before the request was
 * made does not apply.
 */
@Injectable()
export class ReportRequestReminders {
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

  /** After a batch: queue the steps of requests this file has not queued yet. */
  async flush(now = Date.now()): Promise<number> {
    const rows = statement(
      this.readModel.db,
      'SELECT * FROM report_request_schedule WHERE scheduled = 0 ORDER BY id',
    ).all() as ReportRequestScheduleRow[];
    for (const row of rows) await this.schedule(row, now);
    const mark = statement(this.readModel.db, 'UPDATE report_request_schedule SET scheduled = 1 WHERE id = ?');
    this.readModel.db.transaction(() => rows.forEach((r) => mark.run(r.id)))();
    return rows.length;
  }

  /** At start and periodically: every request with units still to chase gets its steps again (ids dedupe). */
  async reconcile(now = Date.now()): Promise<number> {
    const rows = statement(
      this.readModel.db,
      'SELECT * FROM report_request_schedule WHERE overdue_recorded = 0 AND missing > 0 ORDER BY id',
    ).all() as ReportRequestScheduleRow[];
    for (const row of rows) await this.schedule(row, now);
    return rows.length;
  }

  private async schedule(row: ReportRequestScheduleRow, now: number): Promise<void> {
    const due = Date.parse(row.due_at);
    const created = Date.parse(row.created_at);
    const steps: { data: ReportStepJobData; at: number }[] = this.config.deadlineReminders
      .filter((r) => r.ms > 0 && due - r.ms > created)
      .map((r) => ({
        data: { reportRequestId: row.id, step: 'remind', offset: r.iso, dueAt: row.due_at },
        at: due - r.ms,
      }));
    steps.push({ data: { reportRequestId: row.id, step: 'overdue', dueAt: row.due_at }, at: due + 1 });
    await this.queue.addBulk(
      steps.map(({ data, at }) => ({
        name: REPORT_STEP_JOB,
        data,
        opts: {
          jobId: jobId('report-step', data.reportRequestId, data.step, data.offset ?? 'due', due),
          delay: Math.max(0, at - now),
          attempts: 5,
          backoff: { type: 'fixed', delay: 1000 },
          removeOnComplete: { age: 40 * 86_400 },
          removeOnFail: { age: 40 * 86_400 },
        },
      })),
    );
  }

  async process(job: Job<ReportStepJobData>): Promise<string> {
    const { reportRequestId, step, offset, dueAt } = job.data;
    const at = new Date().toISOString();
    if (step === 'overdue' && at < dueAt) throw new NotYet(`report request ${reportRequestId} is due at ${dueAt}`);
    const command: ReportRequestCommand =
      step === 'remind'
        ? {
            type: 'RemindUnitReports',
            data: { reportRequestId, offset: offset! },
            meta: { at, actor: WORKER_ACTOR },
          }
        : { type: 'RecordReportsOverdue', data: { reportRequestId }, meta: { at, actor: WORKER_ACTOR } };
    const outcome = await runSystemCommand(this.commands, this.logger, {
      streamId: reportRequestStream(reportRequestId),
      decider: reportRequestDecider,
      command,
      commandId: deterministicUuid(`report-${step}|${reportRequestId}|${offset ?? dueAt}`),
      causationId: job.id,
    });
    const recorded = outcome.status === 'done' && outcome.events.length > 0;
    this.logger.info({ reportRequestId, step, offset, recorded }, 'report request step done');
    return outcome.status === 'done' ? `${step}: ${recorded ? 'recorded' : 'nothing to record'}` : outcome.reason;
  }
}
