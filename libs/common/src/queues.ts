import { Queue, QueueOptions } from 'bullmq';
import { connectRedis } from './redis.module';

/** Every BullMQ queue of Duban. The worker processes them; the API reads them (Bull Board, dead letters). */
export const QUEUES = {
  /** one delayed job per second in which deadline steps (reminders, escalations) fall due */
  deadlines: 'deadlines',
  /** one job per notification, recipient and channel (webhook, e-mail) */
  notifications: 'notifications',
  /** deliveries that failed every try, kept for an administrator to inspect and retry */
  deadLetters: 'dead-letters',
  /** the monthly progress request and its reminder (按月上报) */
  progress: 'progress',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * The job names each queue carries. The worker refuses to start unless it has a handler for every one
 * (the dead-letter queue has no processor: its jobs wait for an administrator).
 */
export const JOB_CATALOG: Record<QueueName, readonly string[]> = {
  deadlines: ['deadline-step'],
  notifications: ['deliver'],
  'dead-letters': [],
  progress: ['progress-request', 'progress-remind', 'report-step'],
};

/** The queues of one deployment, on one connection; `close()` closes them and it. */
export function openQueues(redisUrl: string, prefix: string): Record<QueueName, Queue> & { close(): Promise<void> } {
  const connection = connectRedis(redisUrl);
  const options: QueueOptions = { connection, prefix };
  const queues = Object.fromEntries(Object.values(QUEUES).map((name) => [name, new Queue(name, options)])) as Record<
    QueueName,
    Queue
  >;
  return Object.assign(queues, {
    async close() {
      await Promise.all(Object.values(QUEUES).map((name) => queues[name].close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  });
}

/** A job id from parts: BullMQ refuses ':' in custom ids. */
export function jobId(...parts: (string | number)[]): string {
  return parts.join('-').replace(/:/g, '_');
}
