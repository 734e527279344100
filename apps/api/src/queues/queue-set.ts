import type { Queue } from 'bullmq';
import type { QueueName } from '@duban/common';

/** The API's handle on the worker's queues: Bull Board, dead letters, and queue depth in /metrics. */
export const API_QUEUES = Symbol('API_QUEUES');
export type QueueSet = Record<QueueName, Queue> & { close(): Promise<void> };
