import { ServiceUnavailableException } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueName } from '@duban/common';

/** The API's handle on the worker's queues: Bull Board, dead letters, and queue depth in /metrics. */
export const API_QUEUES = Symbol('API_QUEUES');
export type QueueSet = Record<QueueName, Queue> & { close(): Promise<void> };

/** How long a queue call may wait for Redis before the request answers 503. */
export const QUEUE_CALL_TIMEOUT_MS = 2000;

/** connection states in which Redis is known to be gone (before the first connect, a call waits for it, bounded) */
const WAITING_TO_RECONNECT = new Set(['reconnecting', 'close', 'end']);

export function redisUnavailable(detail: string): ServiceUnavailableException {
  return new ServiceUnavailableException({
    type: 'https://duban.dev/problems/service-unavailable',
    title: 'Service Unavailable',
    status: 503,
    detail,
    retryAfter: 5,
  });
}

class QueueCallTimeout extends Error {}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueCallTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A queue whose Redis calls fail fast: refused at once while its connection waits to reconnect (nothing
 * is queued to run after the request has been answered), bounded in time otherwise, and answered as 503
 * with Retry-After instead of hanging the request. Its synchronous members pass through unchanged.
 */
export function failFastQueue(queue: Queue, connection: Redis, timeoutMs = QUEUE_CALL_TIMEOUT_MS): Queue {
  const down = () => redisUnavailable(`Redis (the job queues) is not reachable (${connection.status}); retry shortly`);
  return new Proxy(queue, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      const isAsync = value.constructor.name === 'AsyncFunction';
      return (...args: unknown[]) => {
        // a call that would wait for Redis is refused before it is made
        if (isAsync && WAITING_TO_RECONNECT.has(connection.status)) return Promise.reject(down());
        const result: unknown = value.apply(target, args);
        if (!(result instanceof Promise)) return result;
        return withTimeout(result, timeoutMs).catch((error: unknown) => {
          throw error instanceof QueueCallTimeout || connection.status !== 'ready' ? down() : error;
        });
      };
    },
  });
}
