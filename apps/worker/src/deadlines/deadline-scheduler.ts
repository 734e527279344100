import { statement } from '@duban/projections';
import { Inject, Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { CONFIG, DubanConfig } from '@duban/config';
import { deadlineSteps, DeadlinePolicy, DeadlineStep, isDone, stepKey } from '@duban/domain';
import { jobId, LOGGER, Logger, QueueName } from '@duban/common';
import { WorkerReadModel } from '../read-model/worker-read-model';
import type { DeadlineRow } from '../read-model/deadlines.projection';
import { QUEUE_SET } from '../worker-context';

export const DEADLINE_JOB = 'deadline-step';

export interface DeadlineJobData {
  issueId: string;
  deadlineVersion: number;
  step: DeadlineStep;
}

const BULK = 1000;
const IN_FLIGHT = 4;
const PAGE = 5000;

/**
 * Keeps one delayed BullMQ job per (issue, deadline version, step). Job ids are deterministic, so
 * scheduling twice schedules once; a new deadline version schedules its steps and removes the old
 * version's (which would be refused anyway: the processor re-checks everything when a job fires).
 */
@Injectable()
export class DeadlineScheduler {
  private readonly policy: DeadlinePolicy;
  private readonly queue: Queue;

  constructor(
    @Inject(CONFIG) config: DubanConfig,
    @Inject(QUEUE_SET) queues: Record<QueueName, Queue>,
    private readonly readModel: WorkerReadModel,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.policy = { reminders: config.deadlineReminders, escalations: config.deadlineEscalations };
    this.queue = queues.deadlines;
  }

  static jobIdOf(issueId: string, deadlineVersion: number, step: DeadlineStep): string {
    return jobId('dl', issueId, `v${deadlineVersion}`, stepKey(step));
  }

  /** The jobs of one running deadline: every step not yet recorded (all of them for a new version). */
  jobsFor(row: DeadlineRow, now = Date.now()): { name: string; data: DeadlineJobData; opts: JobsOptions }[] {
    const running = {
      issueId: row.issue_id,
      deadline: row.deadline,
      deadlineVersion: row.deadline_version,
      setAt: row.deadline_set_at,
    };
    const done = { remindedOffsets: JSON.parse(row.reminded) as string[], escalationLevel: row.escalation_level };
    return deadlineSteps(this.policy, running)
      .filter((step) => !isDone(step, done))
      .map((step) => ({
        name: DEADLINE_JOB,
        data: { issueId: row.issue_id, deadlineVersion: row.deadline_version, step },
        opts: {
          jobId: DeadlineScheduler.jobIdOf(row.issue_id, row.deadline_version, step),
          delay: Math.max(0, Date.parse(step.dueAt) - now),
          // a job that fired is kept a day (its id then refuses a duplicate), failures a week for inspection
          removeOnComplete: { age: 86_400 },
          removeOnFail: { age: 7 * 86_400 },
          attempts: 5,
          backoff: { type: 'exponential', delay: 1000 },
        },
      }));
  }

  /** Schedules what the last batches changed: new deadline versions, and clears issues whose deadline stopped. */
  async flush(): Promise<number> {
    const db = this.readModel.db;
    const rows = statement(db, 'SELECT * FROM deadlines WHERE dirty = 1 LIMIT 5000').all() as DeadlineRow[];
    if (rows.length === 0) return 0;
    const jobs = rows
      .filter((r) => r.open === 1 && r.scheduled_version !== r.deadline_version)
      .flatMap((r) => this.jobsFor(r));
    await this.addAll(jobs);
    // the superseded versions' jobs (and a stopped deadline's) would be no-ops: remove them while it is cheap
    await Promise.all(
      rows
        .filter((r) => r.scheduled_version > 0 && (r.open === 0 || r.scheduled_version !== r.deadline_version))
        .map((r) => this.removeVersion(r, r.scheduled_version)),
    );
    // only rows unchanged since they were read: a newer version stays dirty for the next pass
    const mark = statement(
      db,
      'UPDATE deadlines SET scheduled_version = ?, dirty = 0 WHERE issue_id = ? AND deadline_version = ? AND open = ?',
    );
    db.transaction(() => {
      for (const r of rows) mark.run(r.open === 1 ? r.deadline_version : 0, r.issue_id, r.deadline_version, r.open);
    })();
    this.logger.debug({ issues: rows.length, jobs: jobs.length }, 'deadline jobs scheduled');
    return rows.length === 5000 ? rows.length + (await this.flush()) : rows.length;
  }

  /** addBulk in chunks, a few in flight at once: Redis and this process work side by side. */
  private async addAll(jobs: ReturnType<DeadlineScheduler['jobsFor']>): Promise<void> {
    const chunks: (typeof jobs)[] = [];
    for (let i = 0; i < jobs.length; i += BULK) chunks.push(jobs.slice(i, i + BULK));
    let next = 0;
    const lane = async () => {
      while (next < chunks.length) await this.queue.addBulk(chunks[next++]);
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  }

  private async removeVersion(row: DeadlineRow, version: number): Promise<void> {
    const steps = deadlineSteps(this.policy, {
      issueId: row.issue_id,
      deadline: row.deadline,
      deadlineVersion: version,
      setAt: '1970-01-01T00:00:00.000Z',
    });
    await Promise.all(
      steps.map((step) => this.queue.remove(DeadlineScheduler.jobIdOf(row.issue_id, version, step)).catch(() => 0)),
    );
  }

  /**
   * The reconciler: every open deadline's outstanding steps, added again. BullMQ keeps an existing job
   * of the same id as it is, so after a FLUSHALL (or a Redis without persistence) this restores exactly
   * what was lost, and otherwise changes nothing. A job that failed every attempt would keep its id for
   * a week and swallow the re-add: it is removed first, so its step gets fresh attempts. Steps already
   * due fire at once, in order.
   */
  async reconcile(): Promise<{ issues: number; jobs: number; restoredFailed: number }> {
    const now = Date.now();
    const failed = new Set(await this.queue.getRanges(['failed'], 0, -1));
    let issues = 0;
    let jobs = 0;
    let restoredFailed = 0;
    let after = '';
    // pages by key, never one long iteration: the projection writes on this connection between awaits
    for (;;) {
      const db = this.readModel.db;
      const page = statement(
        db,
        'SELECT * FROM deadlines WHERE open = 1 AND issue_id > ? ORDER BY issue_id LIMIT ?',
      ).all(after, PAGE) as DeadlineRow[];
      if (page.length === 0) break;
      const batch = page.flatMap((row) => this.jobsFor(row, now));
      const stuck = batch.filter((job) => failed.has(job.opts.jobId!));
      await Promise.all(stuck.map((job) => this.queue.remove(job.opts.jobId!)));
      await this.addAll(batch);
      const mark = statement(
        db,
        'UPDATE deadlines SET scheduled_version = deadline_version, dirty = 0 WHERE issue_id = ? AND deadline_version = ? AND open = 1',
      );
      db.transaction(() => page.forEach((r) => mark.run(r.issue_id, r.deadline_version)))();
      issues += page.length;
      jobs += batch.length;
      restoredFailed += stuck.length;
      after = page[page.length - 1].issue_id;
    }
    if (restoredFailed) this.logger.warn({ restoredFailed }, 'deadline jobs that had failed every attempt re-added');
    return { issues, jobs, restoredFailed };
  }
}
