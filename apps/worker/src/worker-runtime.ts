import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { CONFIG, DubanConfig } from '@duban/config';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { LedgerDigestScheduler } from '@duban/audit';
import { OrphanSweeper } from '@duban/attachments';
import { connectRedis, JOB_CATALOG, LOGGER, Logger, QueueName, QUEUES } from '@duban/common';
import { WorkerReadModel } from './read-model/worker-read-model';
import { DEADLINE_JOB, DeadlineScheduler } from './deadlines/deadline-scheduler';
import { DeadlineProcessor } from './deadlines/deadline-processor';
import { CalendarRederivation } from './calendar/calendar-rederivation';
import { ConsequenceProcess } from './consequences/consequence-process';
import { DELIVERY_JOB, NotificationDispatcher } from './notifications/notification-dispatcher';
import { DeliveryProcessor } from './notifications/delivery-processor';
import { PROGRESS_REMIND_JOB, PROGRESS_REQUEST_JOB, ProgressRequests } from './progress/progress-requests';
import { REPORT_STEP_JOB, ReportRequestReminders } from './report-requests/report-request-reminders';
import { QUEUE_SET } from './worker-context';

type Handler = (job: Job, token?: string) => Promise<unknown>;

/** Fails start when a queue carries a job name no handler takes (immich does the same). */
export function assertEveryJobHasAHandler(handlers: Partial<Record<QueueName, Record<string, Handler>>>): void {
  for (const [queue, names] of Object.entries(JOB_CATALOG) as [QueueName, readonly string[]][]) {
    const missing = names.filter((name) => !handlers[queue]?.[name]);
    if (missing.length) throw new Error(`queue "${queue}" has no handler for job(s) ${missing.join(', ')}`);
  }
}

/**
 * The worker's life: catch up the read model, reconcile the schedule with Redis, then follow `$all`
 * (scheduling and dispatching after each batch) and process the queues. Shutdown runs the other way:
 * stop taking jobs and let running ones finish, then stop following, then close every connection.
 */
@Injectable()
export class WorkerRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly workers: { worker: Worker; connection: Redis }[] = [];
  private reconcileTimer?: NodeJS.Timeout;
  private pumping: Promise<void> = Promise.resolve();
  private pumpAgain = false;
  private pumpRunning = false;
  private stopping = false;
  private digests?: LedgerDigestScheduler;
  private sweeper?: OrphanSweeper;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(QUEUE_SET) private readonly queues: Record<QueueName, Queue> & { close(): Promise<void> },
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readModel: WorkerReadModel,
    private readonly scheduler: DeadlineScheduler,
    private readonly calendar: CalendarRederivation,
    private readonly deadlines: DeadlineProcessor,
    private readonly dispatcher: NotificationDispatcher,
    private readonly delivery: DeliveryProcessor,
    private readonly progress: ProgressRequests,
    private readonly consequences: ConsequenceProcess,
    private readonly reportRequests: ReportRequestReminders,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const handlers: Partial<Record<QueueName, Record<string, Handler>>> = {
      deadlines: { [DEADLINE_JOB]: (job, token) => this.deadlines.process(job, token) },
      notifications: { [DELIVERY_JOB]: (job) => this.delivery.process(job) },
      progress: {
        [PROGRESS_REQUEST_JOB]: (job) => this.progress.request(job),
        [PROGRESS_REMIND_JOB]: (job) => this.progress.remind(job),
        [REPORT_STEP_JOB]: (job) => this.reportRequests.process(job),
      },
    };
    assertEveryJobHasAHandler(handlers);

    await this.readModel.start();
    await this.reconcile('start');
    this.readModel.onBatch(() => this.pump());
    this.pump();

    for (const [queue, byName] of Object.entries(handlers) as [QueueName, Record<string, Handler>][]) {
      const connection = connectRedis(this.config.redisUrl);
      const worker = new Worker(
        queue,
        async (job, token) => {
          const handler = byName[job.name];
          if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on queue "${queue}"`);
          return handler(job, token);
        },
        { connection, prefix: this.config.queuePrefix, concurrency: this.config.workerConcurrency, autorun: true },
      );
      worker.on('error', (error) => this.logger.error({ err: error, queue }, 'queue worker error'));
      worker.on('failed', (job, error) =>
        this.logger.warn({ queue, jobId: job?.id, attemptsMade: job?.attemptsMade, err: error.message }, 'job failed'),
      );
      this.workers.push({ worker, connection });
    }
    // ledger digests (signed running hash over $all) every AUDIT_DIGEST_INTERVAL
    this.digests = new LedgerDigestScheduler(this.store, this.config, this.logger);
    this.digests.start();
    // evidence files never referenced within ATTACHMENT_ORPHAN_GRACE
    this.sweeper = new OrphanSweeper(this.config, this.logger);
    this.sweeper.start();
    this.reconcileTimer = setInterval(() => void this.reconcile('periodic'), this.config.reconcileIntervalMs);
    this.reconcileTimer.unref();
    this.logger.info(
      { queues: Object.keys(handlers), concurrency: this.config.workerConcurrency, prefix: this.config.queuePrefix },
      'worker processing queues',
    );
  }

  /** Each queue's worker as /health reports it: running and its connection ready (empty before the start). */
  queueWorkers(): { queue: string; running: boolean; redis: string }[] {
    return this.workers.map(({ worker, connection }) => ({
      queue: worker.name,
      running: worker.isRunning() && !worker.closing,
      redis: connection.status,
    }));
  }

  /** Restores every outstanding deadline job, this month's progress jobs and undispatched notifications. */
  async reconcile(why: 'start' | 'periodic'): Promise<void> {
    if (this.stopping) return;
    try {
      const started = Date.now();
      const deadlines = await this.scheduler.reconcile();
      await this.progress.reconcile();
      const reportRequests = await this.reportRequests.reconcile();
      const dispatched = await this.dispatcher.flush();
      this.logger.info(
        { why, ...deadlines, reportRequests, dispatched, ms: Date.now() - started },
        'reconciled the schedule with Redis',
      );
    } catch (error) {
      if (why === 'start') throw error;
      this.logger.error({ err: error }, 'reconciliation failed; it runs again at the next interval');
    }
  }

  /** After each batch: schedule new deadlines and dispatch notifications, one pass at a time. */
  private pump(): void {
    if (this.stopping) return;
    if (this.pumpRunning) {
      this.pumpAgain = true;
      return;
    }
    this.pumpRunning = true;
    this.pumping = (async () => {
      do {
        this.pumpAgain = false;
        try {
          // a calendar change moves deadlines first, so this pass schedules their new versions
          await this.calendar.flush();
          await this.scheduler.flush();
          await this.reportRequests.flush();
          await this.dispatcher.flush();
          // last, so a failing follow-up never holds up scheduling; its events come back as the next batch
          await this.consequences.flush();
        } catch (error) {
          this.logger.error({ err: error }, 'scheduling after a batch failed; the reconciler will restore it');
        }
      } while (this.pumpAgain && !this.stopping);
      this.pumpRunning = false;
    })();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearInterval(this.reconcileTimer);
    await this.digests?.stop();
    await this.sweeper?.stop();
    // close() waits for the running jobs to finish
    await Promise.all(this.workers.map(({ worker }) => worker.close()));
    await this.pumping;
    await this.readModel.runner.stop();
    await Promise.all(this.workers.map(({ connection }) => connection.quit().catch(() => connection.disconnect())));
    await this.queues.close();
    this.logger.info({ queues: Object.values(QUEUES) }, 'queues closed');
  }
}
