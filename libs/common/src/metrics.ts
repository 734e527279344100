import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from './logger';

export const METRICS = Symbol('METRICS');

/** One Prometheus registry per process, with the metrics every part of Duban reports into. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly eventsAppended: Counter<'type'>;
  readonly appendDuration: Histogram<'outcome'>;
  readonly commands: Counter<'command' | 'outcome'>;
  readonly projectionUp: Gauge;
  readonly projectionRestarts: Counter;

  constructor(service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
    this.httpRequestDuration = new Histogram({
      name: 'duban_http_request_duration_seconds',
      help: 'HTTP request duration by method, route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [this.registry],
    });
    this.eventsAppended = new Counter({
      name: 'duban_events_appended_total',
      help: 'Events durably appended by this process, by type',
      labelNames: ['type'],
      registers: [this.registry],
    });
    this.appendDuration = new Histogram({
      name: 'duban_event_append_duration_seconds',
      help: 'Time from append request to durable acknowledgement',
      labelNames: ['outcome'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [this.registry],
    });
    this.commands = new Counter({
      name: 'duban_commands_total',
      help: 'Commands handled, by command and outcome (ok, refused, conflict, error)',
      labelNames: ['command', 'outcome'],
      registers: [this.registry],
    });
    this.projectionUp = new Gauge({
      name: 'duban_projection_up',
      help: "1 while this process's read model follows the log, 0 while its subscription is down and retrying",
      registers: [this.registry],
    });
    this.projectionRestarts = new Counter({
      name: 'duban_projection_restarts_total',
      help: "Times this process's read-model subscription failed and was resubscribed from its checkpoint",
      registers: [this.registry],
    });
  }

  gauge(name: string, help: string, labelNames: string[] = []): Gauge<string> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Gauge<string>;
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}

/**
 * A read model's subscription failures and recoveries, logged and counted (the ProjectionRunner's
 * onFailure/onRecovered): a read model that stopped following the log must never be silent.
 */
export function readModelSupervision(what: string, logger: Logger, metrics: Metrics) {
  metrics.projectionUp.set(1);
  return {
    onFailure(error: unknown, info: { attempt: number; retryInMs: number; position: number }): void {
      metrics.projectionUp.set(0);
      metrics.projectionRestarts.inc();
      logger.error({ err: error, ...info }, `${what} stopped following the log; resubscribing from its checkpoint`);
    },
    onRecovered(info: { downMs: number; restarts: number }): void {
      metrics.projectionUp.set(1);
      logger.warn(info, `${what} follows the log again`);
    },
  };
}
