import { ConflictException, Inject, Injectable, PreconditionFailedException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Decider } from '@duban/domain';
import { fold } from '@duban/domain';
import { EVENT_STORE, EventStore, RecordedEvent, WrongExpectedVersion } from '@duban/event-store';
import { currentContext, METRICS, Metrics } from '@duban/common';

export interface ExecutionMeta {
  actor: { id: string; role: string; name?: string };
  /** the command's id: the idempotency key's record, or a fresh UUID */
  commandId?: string;
  /** the event or request that caused this command (the worker passes the triggering event's id) */
  causationId?: string;
}

export interface ExecuteOptions<S, C, E> {
  streamId: string;
  decider: Decider<S, C, E>;
  /** builds the command; called again on a retry, so it may read the fresh state */
  command: C;
  /** from If-Match: the revision the caller last saw; a different current revision answers 412 */
  ifMatch?: number;
  /** checks that may refuse before deciding (existence → 404, unit scope → 403) */
  guard?: (state: S, revision: number) => void;
  meta: ExecutionMeta;
  /** the command's name, for metrics */
  name: string;
}

export interface ExecutionResult<S, E> {
  revision: number;
  position: number;
  events: E[];
  state: S;
}

export interface LoadedAggregate<S> {
  state: S;
  /** -1 when the stream does not exist */
  revision: number;
  events: RecordedEvent[];
}

/**
 * The one way commands run: load the stream, fold, decide, append with the expected revision.
 * On a concurrent write (WrongExpectedVersion) the decision is retried once against the fresh
 * state — unless the caller pinned a revision with If-Match, which then answers 412.
 */
@Injectable()
export class CommandExecutor {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(METRICS) private readonly metrics: Metrics,
  ) {}

  async load<S, C, E>(streamId: string, decider: Decider<S, C, E>, asOf?: string): Promise<LoadedAggregate<S>> {
    let events = await this.store.readStream(streamId);
    if (asOf) {
      const limit = Date.parse(asOf);
      events = events.filter((e) => Date.parse(e.metadata.recordedAt) <= limit);
    }
    const state = fold(decider, events.map((e) => ({ type: e.type, data: e.data }) as unknown as E));
    return { state, revision: events.length ? events[events.length - 1].revision : -1, events };
  }

  async execute<S, C, E extends { type: string; data: unknown }>(options: ExecuteOptions<S, C, E>): Promise<ExecutionResult<S, E>> {
    const commandId = options.meta.commandId ?? randomUUID();
    for (let attempt = 1; ; attempt++) {
      const { state, revision, events: history } = await this.load(options.streamId, options.decider);
      if (options.ifMatch !== undefined && options.ifMatch !== revision) {
        this.metrics.commands.inc({ command: options.name, outcome: 'conflict' });
        throw new PreconditionFailedException(`If-Match names revision ${options.ifMatch} but the current revision is ${revision}; read it again`);
      }
      options.guard?.(state, revision);
      let events: E[];
      try {
        events = options.decider.decide(options.command, state);
      } catch (error) {
        this.metrics.commands.inc({ command: options.name, outcome: 'refused' });
        throw error;
      }
      if (events.length === 0) {
        return { revision, position: history.length ? history[history.length - 1].position : 0, events, state };
      }
      const correlationId = currentContext()?.correlationId ?? commandId;
      const end = this.metrics.appendDuration.startTimer();
      try {
        const result = await this.store.append(
          options.streamId,
          events.map((event) => ({
            type: event.type,
            data: event.data,
            metadata: {
              actor: options.meta.actor,
              correlationId,
              causationId: options.meta.causationId ?? correlationId,
              commandId,
              recordedAt: (options.command as { meta?: { at?: string } }).meta?.at,
            },
          })),
          { expectedRevision: revision === -1 ? 'no_stream' : revision },
        );
        end({ outcome: 'ok' });
        for (const event of events) this.metrics.eventsAppended.inc({ type: event.type });
        this.metrics.commands.inc({ command: options.name, outcome: 'ok' });
        const newState = events.reduce((s, e) => options.decider.evolve(s, e), state);
        return { revision: result.revision, position: result.position, events, state: newState };
      } catch (error) {
        end({ outcome: 'error' });
        if (!(error instanceof WrongExpectedVersion)) throw error;
        if (options.ifMatch !== undefined) {
          this.metrics.commands.inc({ command: options.name, outcome: 'conflict' });
          throw new PreconditionFailedException(`the resource changed while this command ran (revision ${error.actual}); read it again`);
        }
        if (attempt >= 2) {
          this.metrics.commands.inc({ command: options.name, outcome: 'conflict' });
          throw new ConflictException('another command changed this resource at the same time; read it again and retry');
        }
      }
    }
  }
}
