import { randomUUID } from 'node:crypto';
import type { Decider } from '@duban/domain';
import { fold } from '@duban/domain';
import { EventStore, RecordedEvent, WrongExpectedVersion } from '@duban/event-store';
import { currentContext, Metrics } from '@duban/common';

export interface ExecutionMeta {
  actor: { id: string; role: string; name?: string };
  /** the command's id: the idempotency key's record, or a fresh UUID; event ids derive from it */
  commandId?: string;
  /** the event or request that caused this command (the worker passes the triggering job's id) */
  causationId?: string;
  /** defaults to the request's correlation id, else the command id */
  correlationId?: string;
}

export interface ExecuteOptions<S, C, E> {
  streamId: string;
  decider: Decider<S, C, E>;
  command: C;
  /** from If-Match: the revision the caller last saw; a different current revision is `StaleRevision` */
  ifMatch?: number;
  /** checks that may refuse before deciding (existence → 404, unit scope → 403) */
  guard?: (state: S, revision: number) => void;
  meta: ExecutionMeta;
  /** the command's name, for metrics */
  name: string;
  /** attempts against fresh state after a concurrent write (default 2) */
  maxAttempts?: number;
  /** the stream as the caller just loaded it: the first attempt decides on it instead of reading again */
  loaded?: LoadedAggregate<S>;
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

/** Another command changed the stream between our read and our append, on every attempt. */
export class ConcurrencyConflict extends Error {
  constructor(readonly actual: number) {
    super('another command changed this resource at the same time; read it again and retry');
    this.name = 'ConcurrencyConflict';
  }
}

/** The caller pinned a revision (If-Match) that is no longer the current one. */
export class StaleRevision extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleRevision';
  }
}

/**
 * The one way commands run, in the API and in the worker: load the stream, fold, decide, append
 * with the expected revision. On a concurrent write the decision is retried against the fresh
 * state — unless the caller pinned a revision with If-Match.
 */
export class CommandRunner {
  constructor(
    protected readonly store: EventStore,
    protected readonly metrics?: Metrics,
  ) {}

  async load<S, C, E>(streamId: string, decider: Decider<S, C, E>, asOf?: string): Promise<LoadedAggregate<S>> {
    let events = await this.store.readStream(streamId);
    if (asOf) {
      const limit = Date.parse(asOf);
      events = events.filter((e) => Date.parse(e.metadata.recordedAt) <= limit);
    }
    const state = fold(
      decider,
      events.map((e) => ({ type: e.type, data: e.data }) as unknown as E),
    );
    return { state, revision: events.length ? events[events.length - 1].revision : -1, events };
  }

  async execute<S, C, E extends { type: string; data: unknown }>(
    options: ExecuteOptions<S, C, E>,
  ): Promise<ExecutionResult<S, E>> {
    const commandId = options.meta.commandId ?? randomUUID();
    const maxAttempts = options.maxAttempts ?? 2;
    const count = (outcome: string) => this.metrics?.commands.inc({ command: options.name, outcome });
    for (let attempt = 1; ; attempt++) {
      const {
        state,
        revision,
        events: history,
      } = attempt === 1 && options.loaded ? options.loaded : await this.load(options.streamId, options.decider);
      if (options.ifMatch !== undefined && options.ifMatch !== revision) {
        count('conflict');
        throw new StaleRevision(
          `If-Match names revision ${options.ifMatch} but the current revision is ${revision}; read it again`,
        );
      }
      options.guard?.(state, revision);
      let events: E[];
      try {
        events = options.decider.decide(options.command, state);
      } catch (error) {
        count('refused');
        throw error;
      }
      if (events.length === 0) {
        return { revision, position: history.length ? history[history.length - 1].position : 0, events, state };
      }
      const correlationId = options.meta.correlationId ?? currentContext()?.correlationId ?? commandId;
      const end = this.metrics?.appendDuration.startTimer();
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
        end?.({ outcome: 'ok' });
        for (const event of events) this.metrics?.eventsAppended.inc({ type: event.type });
        count('ok');
        const newState = events.reduce((s, e) => options.decider.evolve(s, e), state);
        return { revision: result.revision, position: result.position, events, state: newState };
      } catch (error) {
        end?.({ outcome: 'error' });
        if (!(error instanceof WrongExpectedVersion)) throw error;
        if (options.ifMatch !== undefined) {
          count('conflict');
          throw new StaleRevision(
            `the resource changed while this command ran (revision ${error.actual}); read it again`,
          );
        }
        if (attempt >= maxAttempts) {
          count('conflict');
          throw new ConcurrencyConflict(error.actual);
        }
      }
    }
  }
}
