import type { CommandActor } from '@duban/domain';

/** Every command the worker issues is recorded with this actor. */
export const WORKER_ACTOR: CommandActor = { id: 'system:worker', role: 'system' };

/** The BullMQ queues the worker processes (see `openQueues`), as a DI token. */
export const QUEUE_SET = Symbol('QUEUE_SET');
