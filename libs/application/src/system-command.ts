import type { Logger } from '@duban/common';
import { CommandMeta, Decider, IllegalTransition, NotFound } from '@duban/domain';
import type { CommandRunner, ExecutionResult, LoadedAggregate } from './command-runner';

/** A command the system issues (a worker step), not a person: its actor is `command.meta.actor`. */
export interface SystemCommand<S, C extends { type: string; meta: CommandMeta }, E> {
  streamId: string;
  decider: Decider<S, C, E>;
  command: C;
  /** derived from what caused the command (a job's step, a month, an event): a repeat appends nothing twice */
  commandId: string;
  /** the job or event that caused it */
  causationId?: string;
  /** the stream as the caller just loaded it */
  loaded?: LoadedAggregate<S>;
}

export type SystemCommandOutcome<S, E> =
  | ({ status: 'done' } & ExecutionResult<S, E>)
  | { status: 'skipped'; reason: string; refusal: IllegalTransition | NotFound };

/** System commands race people's commands on busy streams: more attempts against fresh state than a request gets. */
const SYSTEM_ATTEMPTS = 10;

/**
 * Runs a system command through the CommandRunner. A refusal because the world moved on (the issue was
 * closed, the deadline moved, the target is gone) means the work is no longer needed: it is "skipped",
 * not failed, so a job does not retry what can never apply. Any other error is thrown.
 */
export async function runSystemCommand<
  S,
  C extends { type: string; meta: CommandMeta },
  E extends { type: string; data: unknown },
>(runner: CommandRunner, logger: Logger, run: SystemCommand<S, C, E>): Promise<SystemCommandOutcome<S, E>> {
  try {
    const result = await runner.execute({
      streamId: run.streamId,
      decider: run.decider,
      command: run.command,
      name: run.command.type,
      maxAttempts: SYSTEM_ATTEMPTS,
      loaded: run.loaded,
      meta: { actor: run.command.meta.actor, commandId: run.commandId, causationId: run.causationId },
    });
    return { status: 'done', ...result };
  } catch (error) {
    if (!(error instanceof IllegalTransition || error instanceof NotFound)) throw error;
    logger.debug(
      { command: run.command.type, streamId: run.streamId, reason: error.message },
      'system command no longer applies: skipped',
    );
    return { status: 'skipped', reason: error.message, refusal: error };
  }
}

/** System commands on one stream, all caused by the same event, run as one sequence (`executeSequence`). */
export interface SystemCommandSequence<S, C extends { type: string; meta: CommandMeta }, E> {
  streamId: string;
  decider: Decider<S, C, E>;
  commands: { command: C; commandId: string }[];
  causationId?: string;
  loaded?: LoadedAggregate<S>;
}

export type SystemStepOutcome =
  | { status: 'done' }
  | { status: 'skipped'; reason: string; refusal: IllegalTransition | NotFound }
  | { status: 'refused'; error: unknown };

/**
 * Runs system commands as one durable append, with `runSystemCommand`'s rule per command: a refusal because the
 * world moved on is "skipped"; any other refusal is returned as "refused" for the caller to judge (the other
 * commands are appended all the same). Store errors are thrown.
 */
export async function runSystemCommands<
  S,
  C extends { type: string; meta: CommandMeta },
  E extends { type: string; data: unknown },
>(runner: CommandRunner, logger: Logger, run: SystemCommandSequence<S, C, E>): Promise<SystemStepOutcome[]> {
  const { steps } = await runner.executeSequence({
    streamId: run.streamId,
    decider: run.decider,
    steps: run.commands.map(({ command, commandId }) => ({ command, commandId, name: command.type })),
    maxAttempts: SYSTEM_ATTEMPTS,
    loaded: run.loaded,
    // one actor for the whole sequence: the system's
    meta: { actor: run.commands[0].command.meta.actor, causationId: run.causationId },
  });
  return steps.map((step, i) => {
    if (step.status !== 'refused') return { status: 'done' };
    const { error } = step;
    if (!(error instanceof IllegalTransition || error instanceof NotFound)) return { status: 'refused', error };
    logger.debug(
      { command: run.commands[i].command.type, streamId: run.streamId, reason: error.message },
      'system command no longer applies: skipped',
    );
    return { status: 'skipped', reason: error.message, refusal: error };
  });
}
