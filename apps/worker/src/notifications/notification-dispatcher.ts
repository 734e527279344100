import { statement } from '@duban/projections';
import { Inject, Injectable } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';
import { CONFIG, DubanConfig } from '@duban/config';
import { DeliveryChannel, Notification, notificationsFor } from '@duban/domain';
import { deterministicUuid } from '@duban/event-store';
import { jobId, LOGGER, Logger, QueueName } from '@duban/common';
import { WorkerReadModel } from '../read-model/worker-read-model';
import type { OutboxRow } from '../read-model/outbox.projection';
import { QUEUE_SET } from '../worker-context';

export const DELIVERY_JOB = 'deliver';

export interface DeliveryJobData extends Omit<Notification, 'unitId'> {
  deliveryId: string;
  channel: DeliveryChannel;
  address: string;
  unitId: string | null;
  sourceEventId: string;
  occurredAt: string;
}

/** Notifications older than this when the worker first sees them (a new worker replaying history) are not sent. */
export const NOTIFY_MAX_AGE_MS = 24 * 3_600_000;

/**
 * Turns outbox rows into delivery jobs: route each event (policy + unit directory), then one job per
 * recipient and channel the recipient has (webhook URL, e-mail address). Deterministic job ids make a
 * re-dispatch after a crash harmless; delivery never blocks or fails the command that caused it.
 */
@Injectable()
export class NotificationDispatcher {
  private readonly queue: Queue;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    @Inject(QUEUE_SET) queues: Record<QueueName, Queue>,
    private readonly readModel: WorkerReadModel,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.queue = queues.notifications;
  }

  async flush(now = Date.now()): Promise<number> {
    let dispatched = 0;
    for (;;) {
      const db = this.readModel.db;
      const rows = statement(
        db,
        'SELECT * FROM outbox WHERE dispatched = 0 ORDER BY position LIMIT 500',
      ).all() as OutboxRow[];
      if (rows.length === 0) return dispatched;
      const directory = this.readModel.directory();
      const jobs: { name: string; data: DeliveryJobData; opts: JobsOptions }[] = [];
      for (const row of rows) {
        if (now - Date.parse(row.recorded_at) > NOTIFY_MAX_AGE_MS) continue;
        const event = { type: row.type, data: JSON.parse(row.data) as Record<string, unknown> };
        for (const notification of notificationsFor(event, this.config.notificationPolicy, directory)) {
          const contacts = notification.unitId ? directory.contactsOf(notification.unitId) : {};
          const channels: [DeliveryChannel, string | undefined][] = [
            ['webhook', contacts.webhookUrl],
            ['email', this.config.smtpUrl ? contacts.email : undefined],
          ];
          for (const [channel, address] of channels) {
            if (!address) continue;
            const deliveryId = deterministicUuid(
              `delivery|${row.event_id}|${notification.unitId ?? 'office'}|${channel}`,
            );
            jobs.push({
              name: DELIVERY_JOB,
              data: {
                ...notification,
                deliveryId,
                channel,
                address,
                sourceEventId: row.event_id,
                occurredAt: row.recorded_at,
              },
              opts: {
                jobId: jobId('nt', deliveryId),
                attempts: this.config.notifyMaxAttempts,
                backoff: { type: 'exponential', delay: this.config.notifyBackoffMs },
                removeOnComplete: { age: 7 * 86_400 },
                removeOnFail: { age: 7 * 86_400 },
              },
            });
          }
        }
      }
      if (jobs.length) await this.queue.addBulk(jobs);
      const mark = statement(db, 'UPDATE outbox SET dispatched = 1 WHERE event_id = ?');
      db.transaction(() => rows.forEach((r) => mark.run(r.event_id)))();
      dispatched += jobs.length;
      this.logger.debug({ events: rows.length, deliveries: jobs.length }, 'notifications dispatched');
    }
  }
}
