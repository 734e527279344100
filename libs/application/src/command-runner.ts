import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Decider } from '@duban/domain';
import { fold } from '@duban/domain';
import { deterministicUuid, EventStore, RecordedEvent, WrongExpectedVersion } from '@duban/event-store';
import { currentContext, Metrics } from '@duban/common';

/** A request's command-id scope: its id, and how many commands it already ran on each stream. */
interface CommandScope {
  id: string;
  perStream: Map<string, number>;
}

const commandScopes = new AsyncLocalStorage<CommandScope>();

/**
 * Runs `fn` so that every command it executes takes an id derived from `scopeId` (an Idempotency-Key and its
 * caller), the stream and the command's rank on that stream: a retry of the request runs the same command ids,
 * and the runner answers the first outcome of a command id already in the stream instead of appending again.
 */
export function runInCommandScope<T>(scopeId: string, fn: () => T): T {
  return commandScopes.run({ id: scopeId, perStream: new Map() }, fn);
}

/** A new aggregate's id: derived from the request's command scope (a retry names the same one), else random. */
export function newAggregateId(kind: string): string {
  const scope = commandScopes.getStore();
  return scope ? deterministicUuid(`${scope.id}|new ${kind}`) : randomUUID();
}

function scopedCommandId(streamId: string): string | undefined {
  const scope = commandScopes.getStore();
  if (!scope) return undefined;
  const rank = scope.perStream.get(streamId) ?? 0;
  scope.perStream.set(streamId, rank + 1);
  return deterministicUuid(`${scope.id}|${streamId}|${rank}`);
}

export interface ExecutionMeta {
  actor: { id: string; role: string; name?: string };
  /** the command's id (else the request's command scope's, else a fresh UUID); event ids derive from it, and a
   *  command id already in the stream is answered from the stream, not appended again */
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

/** One command of a sequence (`executeSequence`), with the id its own execution would have. */
export interface SequenceStep<C> {
  command: C;
  commandId: string;
  /** the command's name, for metrics */
  name: string;
}

export interface SequenceOptions<S, C, E> {
  streamId: string;
  decider: Decider<S, C, E>;
  steps: SequenceStep<C>[];
  meta: Omit<ExecutionMeta, 'commandId'>;
  /** attempts against fresh state after a concurrent write (default 2) */
  maxAttempts?: number;
  loaded?: LoadedAggregate<S>;
}

export type SequenceStepResult<E> =
  { status: 'appended'; events: E[] } | { status: 'repeated' } | { status: 'refused'; error: unknown };

export interface SequenceResult<S, E> {
  /** one per step, in order */
  steps: SequenceStepResult<E>[];
  revision: number;
  position: number;
  state: S;
}

/** An event to append, with the command it came from and its index among that command's events. */
interface AppendEntry<E> {
  event: E;
  commandId: string;
  index: number;
  recordedAt?: string;
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
    const derivedId = options.meta.commandId ?? scopedCommandId(options.streamId);
    const commandId = derivedId ?? randomUUID();
    const maxAttempts = options.maxAttempts ?? 2;
    const count = (outcome: string) => this.metrics?.commands.inc({ command: options.name, outcome });
    for (let attempt = 1; ; attempt++) {
      const loaded =
        attempt === 1 && options.loaded ? options.loaded : await this.load(options.streamId, options.decider);
      const { state, revision, events: history } = loaded;
      const earlier = derivedId === undefined ? undefined : alreadyAppended(history, derivedId);
      if (earlier) {
        count('repeated');
        return { revision: earlier.revision, position: earlier.position, events: [], state };
      }
      const events = this.decide(options, loaded, count);
      if (events.length === 0) {
        return { revision, position: history.length ? history[history.length - 1].position : 0, events, state };
      }
      try {
        const result = await this.append(options, this.entries(options.command, commandId, events), revision);
        count('ok');
        const newState = events.reduce((s, e) => options.decider.evolve(s, e), state);
        return { revision: result.revision, position: result.position, events, state: newState };
      } catch (error) {
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

  /**
   * Several commands on one stream, decided in order (each on the state the previous left) and appended in ONE
   * append: one durable write instead of one per command. Each command keeps its own id (its events' ids and
   * `commandId` are what `execute` would have given it), so a command already in the stream is `repeated`, not
   * appended again. A command the decider refuses is `refused` with its error and the others still run: the
   * caller decides what a refusal means.
   */
  async executeSequence<S, C, E extends { type: string; data: unknown }>(
    options: SequenceOptions<S, C, E>,
  ): Promise<SequenceResult<S, E>> {
    const maxAttempts = options.maxAttempts ?? 2;
    const count = (name: string, outcome: string) => this.metrics?.commands.inc({ command: name, outcome });
    for (let attempt = 1; ; attempt++) {
      const loaded =
        attempt === 1 && options.loaded ? options.loaded : await this.load(options.streamId, options.decider);
      let state = loaded.state;
      const steps: SequenceStepResult<E>[] = [];
      const entries: AppendEntry<E>[] = [];
      for (const step of options.steps) {
        if (alreadyAppended(loaded.events, step.commandId)) {
          steps.push({ status: 'repeated' });
          continue;
        }
        try {
          const events = options.decider.decide(step.command, state);
          state = events.reduce((s, e) => options.decider.evolve(s, e), state);
          entries.push(...this.entries(step.command, step.commandId, events));
          steps.push({ status: 'appended', events });
        } catch (error) {
          count(step.name, 'refused');
          steps.push({ status: 'refused', error });
        }
      }
      const head = loaded.events.length ? loaded.events[loaded.events.length - 1].position : 0;
      if (entries.length === 0) return { steps, revision: loaded.revision, position: head, state };
      try {
        const result = await this.append(options, entries, loaded.revision);
        for (const [i, step] of options.steps.entries()) if (steps[i].status === 'appended') count(step.name, 'ok');
        return { steps, revision: result.revision, position: result.position, state };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion)) throw error;
        if (attempt >= maxAttempts) throw new ConcurrencyConflict(error.actual);
      }
    }
  }

  /** A command's decided events, each with the id and commandId that command's own append would give it. */
  private entries<C, E>(command: C, commandId: string, events: E[]): AppendEntry<E>[] {
    const recordedAt = (command as { meta?: { at?: string } }).meta?.at;
    return events.map((event, index) => ({ event, commandId, index, recordedAt }));
  }

  /** If-Match, the caller's guard, then the decider: every refusal before anything is written. */
  private decide<S, C, E>(
    options: ExecuteOptions<S, C, E>,
    { state, revision }: LoadedAggregate<S>,
    count: (outcome: string) => void,
  ): E[] {
    if (options.ifMatch !== undefined && options.ifMatch !== revision) {
      count('conflict');
      throw new StaleRevision(
        `If-Match names revision ${options.ifMatch} but the current revision is ${revision}; read it again`,
      );
    }
    options.guard?.(state, revision);
    try {
      return options.decider.decide(options.command, state);
    } catch (error) {
      count('refused');
      throw error;
    }
  }

  /** The decided events with their commands' metadata, appended at the revision they were decided on. */
  private async append<E extends { type: string; data: unknown }>(
    options: { streamId: string; meta: Omit<ExecutionMeta, 'commandId'> },
    entries: AppendEntry<E>[],
    revision: number,
  ) {
    const correlationId = options.meta.correlationId ?? currentContext()?.correlationId ?? entries[0].commandId;
    const end = this.metrics?.appendDuration.startTimer();
    try {
      const result = await this.store.append(
        options.streamId,
        entries.map(({ event, commandId, index, recordedAt }) => ({
          // the id the store would derive for the command appended on its own
          id: deterministicUuid(`${commandId}|${options.streamId}|${index}`),
          type: event.type,
          data: event.data,
          metadata: {
            actor: options.meta.actor,
            correlationId,
            causationId: options.meta.causationId ?? correlationId,
            commandId,
            recordedAt,
          },
        })),
        { expectedRevision: revision === -1 ? 'no_stream' : revision },
      );
      end?.({ outcome: 'ok' });
      for (const { event } of entries) this.metrics?.eventsAppended.inc({ type: event.type });
      return result;
    } catch (error) {
      end?.({ outcome: 'error' });
      throw error;
    }
  }
}

/** The last event a command id appended to this stream, if it already ran (a retried request or job). */
function alreadyAppended(history: RecordedEvent[], commandId: string): RecordedEvent | undefined {
  for (let i = history.length - 1; i >= 0; i--) if (history[i].metadata.commandId === commandId) return history[i];
  return undefined;
}
