import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { CONFIG, DubanConfig } from '@duban/config';
import { LOGGER, Logger, METRICS, Metrics, readModelSupervision } from '@duban/common';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { calendarProjection, ProjectionRunner, statement, unitsProjection } from '@duban/projections';
import type { UnitDirectory } from '@duban/domain';
import { deadlinesProjection } from './deadlines.projection';
import { outboxProjection } from './outbox.projection';
import { calendarChangesProjection } from './calendar-changes.projection';
import { consequenceTriggersProjection } from '../consequences/consequence-triggers.projection';
import { reportRequestScheduleProjection } from '../report-requests/report-request-schedule.projection';

/**
 * The worker's own read model (DATA_DIR/readmodel-<WORKER_NAME>.sqlite), fed from `$all` with stored
 * checkpoints — never from the in-process EventBus. After each committed batch the listeners (scheduler,
 * dispatcher) act on what changed; what they miss in a crash, the reconciler and the outbox restore.
 */
@Injectable()
export class WorkerReadModel implements OnApplicationShutdown {
  readonly runner: ProjectionRunner;
  private readonly listeners: (() => void)[] = [];

  constructor(
    @Inject(CONFIG) config: DubanConfig,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(LOGGER) logger: Logger,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.runner = new ProjectionRunner({
      store,
      file: join(config.dataDir, `readmodel-${config.workerName}.sqlite`),
      // units first: the outbox's routing reads the directory
      projections: [
        unitsProjection,
        deadlinesProjection,
        outboxProjection,
        calendarProjection,
        calendarChangesProjection,
        consequenceTriggersProjection,
        reportRequestScheduleProjection,
      ],
      onBatch: () => this.listeners.forEach((listener) => listener()),
      // a stopped subscription would freeze deadline scheduling: resubscribe, and say so on /health
      ...readModelSupervision("the worker's read model", logger, metrics),
    });
  }

  get db(): Database.Database {
    return this.runner.database;
  }

  /** called after every committed batch */
  onBatch(listener: () => void): void {
    this.listeners.push(listener);
  }

  start(): Promise<void> {
    return this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }

  /** The directory as routing needs it, read from this file. */
  directory(): UnitDirectory & { contactsOf(unitId: string): { email?: string; webhookUrl?: string } } {
    const db = this.db;
    return {
      parentOf: (id) =>
        (statement(db, 'SELECT parent_id FROM units WHERE id = ?').get(id) as { parent_id: string | null } | undefined)
          ?.parent_id ?? null,
      idOfCode: (code) =>
        (statement(db, 'SELECT id FROM units WHERE code = ?').get(code) as { id: string } | undefined)?.id ?? null,
      contactsOf: (id) => {
        const row = statement(db, "SELECT contacts FROM units WHERE id = ? AND status = 'active'").get(id) as
          { contacts: string } | undefined;
        return row ? JSON.parse(row.contacts) : {};
      },
    };
  }
}
