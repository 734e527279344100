import type { CommandActor } from '@duban/domain';

/** Every command the worker issues is recorded with this actor. */
export const WORKER_ACTOR: CommandActor = { id: 'system:worker', role: 'system' };

/** The BullMQ queues the worker processes (see `openQueues`), as a DI token. */
export const QUEUE_SET = Symbol('QUEUE_SET');

/** The CommandRunner the worker executes its commands with, as a DI token. */
export const COMMANDS = Symbol('COMMANDS');
