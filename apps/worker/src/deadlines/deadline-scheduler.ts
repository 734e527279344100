import { statement } from '@duban/projections';
import { Inject, Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { CONFIG, DubanConfig } from '@duban/config';
import { deadlineSteps, DeadlinePolicy, DeadlineStep, isDone } from '@duban/domain';
import { jobId, LOGGER, Logger, QueueName } from '@duban/common';
import { WorkerReadModel } from '../read-model/worker-read-model';
import type { DeadlineRow } from '../read-model/deadlines.projection';
import { QUEUE_SET } from '../worker-context';

export const DEADLINE_JOB = 'deadline-step';

/**
 * A deadline job wakes the worker for the steps due in `[from, to)` (epoch milliseconds): which steps those
 * are, the processor reads from its read model when the job fires, so one job serves every deadline due then.
 */
export interface DeadlineJobData {
  from: number;
  to: number;
  /** a part of a crowded window (`DeadlineScheduler.addParts`): only these issues, and the log position to wait for */
  part?: DeadlineJobPart;
}

/** The issues with ids in `[first, end)` (`end` null: no bound), as the job that shared them out saw them at `position`. */
export interface DeadlineJobPart {
  first: string;
  end: string | null;
  position: number;
}

/** The steps of a deadline row not yet recorded (all of them for a new version), in the order they come due. */
export function outstandingSteps(policy: DeadlinePolicy, row: DeadlineRow): DeadlineStep[] {
  const running = {
    issueId: row.issue_id,
    deadline: row.deadline,
    deadlineVersion: row.deadline_version,
    setAt: row.deadline_set_at,
  };
  const done = { remindedOffsets: JSON.parse(row.reminded) as string[], escalationLevel: row.escalation_level };
  return deadlineSteps(policy, running).filter((step) => !isDone(step, done));
}

/** What `outstandingStepsDueIn` reads of a deadline row. */
export type DeadlineProgressRow = Pick<
  DeadlineRow,
  'issue_id' | 'deadline' | 'deadline_set_at' | 'reminded' | 'escalation_level'
>;

/**
 * When the row's outstanding steps due in `[from, to)` (epoch ms) fall due: `outstandingSteps` worked out on
 * numbers, with no step built (no ISO string, no sort), since a job weighs every deadline of a crowded second.
 */
export function outstandingStepsDueIn(
  policy: DeadlinePolicy,
  row: DeadlineProgressRow,
  from: number,
  to: number,
): number[] {
  const deadline = Date.parse(row.deadline);
  const setAt = Date.parse(row.deadline_set_at);
  const due: number[] = [];
  let reminded: string[] | undefined;
  for (const reminder of policy.reminders) {
    const at = deadline - reminder.ms;
    // a reminder already due when the deadline was set is no step (as in deadlineSteps)
    if (at < from || at >= to || at < setAt) continue;
    reminded ??= JSON.parse(row.reminded) as string[];
    if (!reminded.includes(reminder.iso)) due.push(at);
  }
  policy.escalations.forEach((escalation, i) => {
    const at = deadline + escalation.ms;
    if (at >= from && at < to && i + 1 > row.escalation_level) due.push(at);
  });
  return due;
}

export const SECOND = 1000;

/** A job of the one-job-per-step design (released before): read as the window of its step's second. */
export interface StepJobData {
  step: DeadlineStep;
}

export function windowOf(data: DeadlineJobData | StepJobData): DeadlineJobData {
  if ('step' in data) {
    const due = Date.parse(data.step.dueAt);
    return { from: due, to: due + SECOND };
  }
  return data;
}

/**
 * A step due sooner than this is not given its second's shared job: that job may already be running (it
 * would refuse a second add of its id while its processor has chosen its steps), so it gets a job of its own.
 */
const SHARED_AFTER_MS = 2000;
const BULK = 1000;
const IN_FLIGHT = 4;
const PAGE = 5000;

type DeadlineJob = { name: string; data: DeadlineJobData; opts: JobsOptions };

/** The seconds that need a shared job, and the window of the steps due too soon for one. */
interface SchedulePlan {
  seconds: Set<number>;
  soon: DeadlineJobData | null;
  /** when each step of the soon window is due (the reconciler matches failed jobs against them) */
  soonDue: number[];
}

const JOB_OPTIONS: JobsOptions = {
  // removed once done: the id of a second that has passed may be given again (it then finds nothing to do)
  removeOnComplete: true,
  removeOnFail: { age: 7 * 86_400 },
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
};

/**
 * Keeps one delayed BullMQ job per second in which some open deadline has a step due (`dl-at-<second>`),
 * shared by every deadline, every version and every worker: job ids are deterministic, so scheduling twice
 * schedules once, and a superseded version's second fires and finds nothing of it (the processor reads the
 * running version). Steps due within two seconds, and the steps a reconciliation finds already due, get one
 * job of their own per pass, covering their whole window.
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

  /** The shared job of the second `at` falls in. */
  static secondJobId(at: number): string {
    return jobId('dl-at', Math.floor(at / SECOND));
  }

  /**
   * The jobs that wake the worker for these deadlines' outstanding steps: one per second still ahead (shared),
   * and one for everything due by `now + SHARED_AFTER_MS` (this pass's own, when there is any).
   */
  jobsFor(rows: DeadlineRow[], now = Date.now()): DeadlineJob[] {
    return this.jobsOf(this.plan(rows, now), now);
  }

  private plan(
    rows: DeadlineRow[],
    now: number,
    into: SchedulePlan = { seconds: new Set(), soon: null, soonDue: [] },
  ): SchedulePlan {
    for (const row of rows) {
      for (const step of outstandingSteps(this.policy, row)) {
        const due = Date.parse(step.dueAt);
        if (due > now + SHARED_AFTER_MS) into.seconds.add(Math.floor(due / SECOND) * SECOND);
        else {
          into.soon = { from: Math.min(into.soon?.from ?? due, due), to: Math.max(into.soon?.to ?? 0, due + 1) };
          into.soonDue.push(due);
        }
      }
    }
    return into;
  }

  private jobsOf({ seconds, soon }: SchedulePlan, now: number): DeadlineJob[] {
    const jobs: DeadlineJob[] = [...seconds].map((from) => ({
      name: DEADLINE_JOB,
      data: { from, to: from + SECOND },
      opts: { ...JOB_OPTIONS, jobId: DeadlineScheduler.secondJobId(from), delay: from - now },
    }));
    if (soon)
      jobs.push({
        name: DEADLINE_JOB,
        data: soon,
        opts: { ...JOB_OPTIONS, jobId: jobId('dl-due', randomUUID()), delay: Math.max(0, soon.from - now) },
      });
    return jobs;
  }

  /**
   * Jobs for parts of a crowded window that any worker runs at once (the job sharing them out keeps the first
   * part): the first commits come sooner and two workers share the burst. A part's id names its window and
   * issues, so sharing out again (a retried job) adds nothing that is still waiting.
   */
  async addParts(window: { from: number; to: number }, parts: DeadlineJobPart[]): Promise<string[]> {
    const jobs = parts.map((part) => ({
      name: DEADLINE_JOB,
      data: { from: window.from, to: window.to, part },
      opts: { ...JOB_OPTIONS, jobId: jobId('dl-part', window.from, window.to, part.first, part.end ?? 'end') },
    }));
    await this.addAll(jobs);
    return jobs.map((job) => job.opts.jobId);
  }

  /** Whether any of these jobs still waits for a worker to take it. */
  async anyWaiting(jobIds: string[]): Promise<boolean> {
    const states = await Promise.all(jobIds.map((id) => this.queue.getJobState(id)));
    return states.some((state) => state === 'waiting' || state === 'prioritized' || state === 'waiting-children');
  }

  /** Schedules what the last batches changed: the steps of new deadline versions. */
  async flush(): Promise<number> {
    const db = this.readModel.db;
    const rows = statement(db, 'SELECT * FROM deadlines WHERE dirty = 1 LIMIT 5000').all() as DeadlineRow[];
    if (rows.length === 0) return 0;
    const jobs = this.jobsFor(rows.filter((r) => r.open === 1 && r.scheduled_version !== r.deadline_version));
    await this.addAll(jobs);
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
  private async addAll(jobs: DeadlineJob[]): Promise<void> {
    const chunks: DeadlineJob[][] = [];
    for (let i = 0; i < jobs.length; i += BULK) chunks.push(jobs.slice(i, i + BULK));
    let next = 0;
    const lane = async () => {
      while (next < chunks.length) await this.queue.addBulk(chunks[next++]);
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  }

  /**
   * The reconciler: every open deadline's outstanding steps, scheduled again. BullMQ keeps an existing job of
   * the same id as it is, so after a FLUSHALL (or a Redis without persistence) this restores exactly what was
   * lost, and otherwise changes nothing; steps already due get one job that fires at once and records them in
   * order. A job that failed every attempt while a step it covers is still outstanding would keep its id for a
   * week and swallow the re-add: it is removed first, so its steps get fresh attempts.
   */
  async reconcile(): Promise<{ issues: number; jobs: number; restoredFailed: number }> {
    const now = Date.now();
    const failed = await this.queue.getFailed(0, -1);
    const plan: SchedulePlan = { seconds: new Set(), soon: null, soonDue: [] };
    const seen: [issueId: string, version: number][] = [];
    let after = '';
    // pages by key, never one long iteration: the projection writes on this connection between awaits
    for (;;) {
      const db = this.readModel.db;
      const page = statement(
        db,
        'SELECT * FROM deadlines WHERE open = 1 AND issue_id > ? ORDER BY issue_id LIMIT ?',
      ).all(after, PAGE) as DeadlineRow[];
      if (page.length === 0) break;
      this.plan(page, now, plan);
      for (const r of page) seen.push([r.issue_id, r.deadline_version]);
      after = page[page.length - 1].issue_id;
      // yield between pages: the projection and the queues keep running
      await new Promise((resolve) => setImmediate(resolve));
    }
    const jobs = this.jobsOf(plan, now);
    // a failed job whose steps are still outstanding: removed (its id must not swallow a re-add), its steps re-added
    const stuck = failed.filter((job) => {
      if (!job?.id) return false;
      if (plan.seconds.has(job.data.from) && job.id === DeadlineScheduler.secondJobId(job.data.from)) return true;
      const { from, to } = windowOf(job.data);
      return plan.soonDue.some((due) => due >= from && due < to);
    });
    await Promise.all(stuck.map((job) => this.queue.remove(job.id!)));
    await this.addAll(jobs);
    // a version that changed meanwhile stays dirty for the next pass
    const db = this.readModel.db;
    const mark = statement(
      db,
      'UPDATE deadlines SET scheduled_version = deadline_version, dirty = 0 WHERE issue_id = ? AND deadline_version = ? AND open = 1',
    );
    db.transaction(() => seen.forEach(([issueId, version]) => mark.run(issueId, version)))();
    if (stuck.length)
      this.logger.warn({ restoredFailed: stuck.length }, 'deadline jobs that had failed every attempt re-added');
    return { issues: seen.length, jobs: jobs.length, restoredFailed: stuck.length };
  }
}
