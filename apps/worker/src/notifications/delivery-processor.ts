import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import nodemailer, { Transporter } from 'nodemailer';
import { Counter } from 'prom-client';
import { CONFIG, DubanConfig, resolveWebhookSecret } from '@duban/config';
import { deliveryDecider, DeliveryCommand, deliveryStreamId } from '@duban/domain';
import { CommandRunner, runSystemCommand } from '@duban/application';
import { deterministicUuid } from '@duban/event-store';
import {
  jobId,
  LOGGER,
  Logger,
  METRICS,
  Metrics,
  QueueName,
  SIGNATURE_HEADER,
  signWebhook,
  WebhookAllowList,
} from '@duban/common';
import { QUEUE_SET, WORKER_ACTOR } from '../worker-context';
import type { DeliveryJobData } from './notification-dispatcher';
import {
  postToWebhookTarget,
  resolveWebhookTarget,
  webhookAllowListFromEnv,
  WebhookTargetRefused,
} from './webhook-target';

export const DEAD_LETTER_JOB = 'dead-letter';

/**
 * Delivers one notification over one channel. Success and final failure are recorded as events on the
 * delivery's stream; a delivery that failed every try goes to the dead-letter queue, where an
 * administrator can inspect and retry it (`/admin/queues`, `POST /api/v1/admin/dead-letters/:id/retry`).
 */
@Injectable()
export class DeliveryProcessor implements OnApplicationShutdown {
  private readonly secret: string;
  private readonly mailer: Transporter | null;
  private readonly deliveries: Counter<string>;
  private readonly deadLetters: Queue;
  private readonly allowedWebhookHosts: WebhookAllowList;

  constructor(
    @Inject(CONFIG) private readonly config: DubanConfig,
    private readonly commands: CommandRunner,
    @Inject(QUEUE_SET) queues: Record<QueueName, Queue>,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.secret = resolveWebhookSecret(config);
    this.allowedWebhookHosts = webhookAllowListFromEnv();
    this.mailer = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
    this.deadLetters = queues['dead-letters'];
    this.deliveries =
      (metrics.registry.getSingleMetric('duban_notification_deliveries_total') as Counter<string>) ??
      new Counter({
        name: 'duban_notification_deliveries_total',
        help: 'Notification delivery attempts by channel and outcome (delivered, retrying, dead_lettered)',
        labelNames: ['channel', 'outcome'],
        registers: [metrics.registry],
      });
  }

  async process(job: Job<DeliveryJobData>): Promise<string> {
    const d = job.data;
    const { state } = await this.commands.load(deliveryStreamId(d.deliveryId), deliveryDecider);
    if (state.status === 'delivered') return 'already delivered';
    const attempts = job.attemptsMade + 1;
    try {
      if (d.channel === 'webhook') await this.postWebhook(d);
      else await this.sendMail(d);
    } catch (error) {
      const message = (error as Error).message;
      // a refused target stays refused: dead-letter it now instead of retrying
      const refused = error instanceof WebhookTargetRefused;
      const final = refused || attempts >= (job.opts.attempts ?? 1);
      this.deliveries.inc({ channel: d.channel, outcome: final ? 'dead_lettered' : 'retrying' });
      this.logger.warn(
        { deliveryId: d.deliveryId, channel: d.channel, attempts, final, err: message },
        'notification delivery failed',
      );
      if (final) {
        await this.recordOutcome(job, {
          type: 'RecordDeliveryFailure',
          data: { ...this.facts(job, attempts), error: message },
          meta: this.meta(),
        });
        await this.deadLetters.add(
          DEAD_LETTER_JOB,
          { ...d, error: message, failedJobId: job.id, attempts },
          { jobId: jobId('dead', job.id!) },
        );
      }
      throw refused ? new UnrecoverableError(message) : error;
    }
    this.deliveries.inc({ channel: d.channel, outcome: 'delivered' });
    await this.recordOutcome(job, { type: 'RecordDelivery', data: this.facts(job, attempts), meta: this.meta() });
    return `delivered after ${attempts} attempt(s)`;
  }

  private meta() {
    return { at: new Date().toISOString(), actor: WORKER_ACTOR };
  }

  private facts(job: Job<DeliveryJobData>, attempts: number) {
    const d = job.data;
    return {
      deliveryId: d.deliveryId,
      channel: d.channel,
      kind: d.kind,
      issueId: d.issueId,
      unitId: d.unitId,
      address: d.address,
      sourceEventId: d.sourceEventId,
      jobId: job.id!,
      attempts,
    };
  }

  private async recordOutcome(job: Job<DeliveryJobData>, command: DeliveryCommand): Promise<void> {
    await runSystemCommand(this.commands, this.logger, {
      streamId: deliveryStreamId(job.data.deliveryId),
      decider: deliveryDecider,
      command,
      commandId: deterministicUuid(`delivery-outcome|${job.id}|${command.type}`),
      causationId: job.data.sourceEventId,
    });
  }

  /** The payload a receiver gets; the signature covers exactly these bytes and a timestamp. */
  static webhookBody(d: DeliveryJobData): string {
    return JSON.stringify({
      id: d.deliveryId,
      kind: d.kind,
      issueId: d.issueId,
      unitId: d.unitId,
      role: d.role,
      proposal: d.proposal,
      body: d.body,
      sourceEventId: d.sourceEventId,
      occurredAt: d.occurredAt,
    });
  }

  private async postWebhook(d: DeliveryJobData): Promise<void> {
    const body = DeliveryProcessor.webhookBody(d);
    const target = await resolveWebhookTarget(d.address, this.allowedWebhookHosts);
    const status = await postToWebhookTarget(
      target,
      {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signWebhook(this.secret, body),
        'x-duban-delivery': d.deliveryId,
        'user-agent': 'duban-worker',
      },
      body,
      this.config.webhookTimeoutMs,
    );
    if (status < 200 || status > 299) throw new Error(`webhook answered HTTP ${status}`);
  }

  private async sendMail(d: DeliveryJobData): Promise<void> {
    if (!this.mailer) throw new Error('e-mail is not configured (SMTP_URL)');
    await this.mailer.sendMail({
      from: this.config.mailFrom,
      to: d.address,
      subject: `督办通知 Duban notice: ${d.kind} (issue ${d.issueId})`,
      text: `${d.body}\n\nissue: ${d.issueId}\nrecipient: ${d.role}${d.proposal ? `\nproposal: ${d.proposal}` : ''}\n`,
      headers: { 'X-Duban-Delivery': d.deliveryId },
    });
  }

  onApplicationShutdown(): void {
    this.mailer?.close();
  }
}
