import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { QueueName, QUEUES } from '@duban/common';
import type { TestApi } from './api';
import { TEST_SECRET } from './api';
import { registerIssue } from './fixtures';

/** The deadline policy of the worker tests, in seconds (the issue's example). */
export const SECONDS_POLICY = {
  DEADLINE_REMINDERS: 'PT4S,PT2S,PT0S',
  DEADLINE_ESCALATIONS: 'PT0S,PT2S,PT4S,PT6S',
};

/** What the API and its workers share: the store, the secret, Redis, and a queue prefix of this test's own. */
export function workerEnv(api: TestApi, extra: Record<string, string> = {}): Record<string, string> {
  return {
    DATA_DIR: api.config.dataDir,
    REDIS_URL: api.config.redisUrl,
    AUTH_JWT_SECRET: TEST_SECRET,
    QUEUE_PREFIX: api.config.queuePrefix,
    WEBHOOK_SIGNING_SECRET: 'w'.repeat(40),
    RECONCILE_INTERVAL: 'PT1S',
    // the tests' webhook receivers listen on loopback, which the SSRF guard refuses unless allowed
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    ...SECONDS_POLICY,
    ...extra,
  };
}

export const uniquePrefix = (name: string) => `t-${name}-${randomBytes(4).toString('hex')}`;

/** Registers and assigns an issue whose deadline is `seconds` from now. */
export async function issueDueIn(
  api: TestApi,
  unitId: string,
  seconds: number,
  coUnitIds: string[] = [],
): Promise<string> {
  const id = await registerIssue(api);
  const res = await api
    .as('registrar')
    .post(`/api/v1/issues/${id}/assign`)
    .send({
      leadUnitId: unitId,
      coUnitIds,
      responsiblePerson: { name: '王五' },
      deadline: new Date(Date.now() + seconds * 1000).toISOString(),
      mode: 'counterpart',
    });
  if (res.status !== 200) throw new Error(`assigning answered ${res.status}: ${JSON.stringify(res.body)}`);
  return id;
}

export interface HistoryEvent {
  type: string;
  data: Record<string, unknown>;
  actor: { id: string; role: string };
  recordedAt: string;
}

export async function history(api: TestApi, issueId: string): Promise<HistoryEvent[]> {
  const res = await api.as('admin').get(`/api/v1/issues/${issueId}/history`);
  if (res.status !== 200) throw new Error(`history answered ${res.status}`);
  return res.body.events;
}

/** The worker's steps in an issue's history, as `reminder PT4S v1` / `escalation 2 v1`. */
export async function workerSteps(api: TestApi, issueId: string): Promise<string[]> {
  return (await history(api, issueId))
    .filter((e) => e.type === 'ReminderSent' || (e.type === 'IssueEscalated' && e.data.automatic))
    .map((e) =>
      e.type === 'ReminderSent'
        ? `reminder ${e.data.offset} v${e.data.deadlineVersion}`
        : `escalation ${e.data.level} v${e.data.deadlineVersion}`,
    );
}

export const FULL_LADDER = [
  'reminder PT4S v1',
  'reminder PT2S v1',
  'reminder PT0S v1',
  'escalation 1 v1',
  'escalation 2 v1',
  'escalation 3 v1',
  'escalation 4 v1',
];

/** A queue of this test's API, to wait until no job (of some issues) is still to run, instead of a fixed sleep. */
export function workerQueue(
  api: TestApi,
  name: QueueName = QUEUES.deadlines,
): { pending(only?: { dueBy?: number }): Promise<number>; close(): Promise<void> } {
  const connection = new IORedis(api.config.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(name, { connection, prefix: api.config.queuePrefix });
  return {
    /** jobs still to run, or those due by then only (a monthly cron job, a later second's deadline job, is waiting) */
    async pending({ dueBy } = {}) {
      const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized', 'paused']);
      return jobs.filter((job) => job && (dueBy === undefined || job.timestamp + (job.opts.delay ?? 0) <= dueBy))
        .length;
    },
    async close() {
      await queue.close();
      await connection.quit();
    },
  };
}
