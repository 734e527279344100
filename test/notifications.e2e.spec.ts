import { EVENT_STORE, EventStore, RecordedEvent } from '@duban/event-store';
import { verifyWebhook } from '@duban/common';
import { startTestApi, TestApi } from './support/api';
import { createUnit, registerIssue } from './support/fixtures';
import { startWorker, WorkerProcess } from './support/worker-process';
import { startSmtpReceiver, startWebhookReceiver } from './support/receivers';
import { uniquePrefix, workerEnv } from './support/deadline-env';
import { freePort } from './support/redis';
import { waitUntil } from './support/wait';

const WEBHOOK_SECRET = 'w'.repeat(40);

/**
 * Notification channels against real receivers: a local HTTP server for webhooks (signature, retries
 * with backoff, dead letters) and a local SMTP server for e-mail; the in-app inbox through the API.
 */
describe('notifications: webhook, e-mail and the in-app inbox', () => {
  let api: TestApi;
  let worker: WorkerProcess;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let smtp: Awaited<ReturnType<typeof startSmtpReceiver>>;
  let deadFixed = false;
  let metricsPort: number;
  let lead: string;
  let parent: string;
  let broken: string;
  let slow: string;

  const events = async (type: string): Promise<RecordedEvent[]> =>
    (await api.app.get<EventStore>(EVENT_STORE).readAll({ fromPosition: 0 })).filter((e) => e.type === type);
  const assign = async (unitId: string) => {
    const id = await registerIssue(api);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/assign`)
      .send({
        leadUnitId: unitId,
        responsiblePerson: { name: '王五' },
        deadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
        mode: 'counterpart',
      })
      .expect(200);
    return id;
  };

  beforeAll(async () => {
    hooks = await startWebhookReceiver((path, attempt) => {
      if (path === '/flaky') return attempt <= 2 ? 500 : 204; // fails twice, then succeeds
      if (path === '/down') return deadFixed ? 200 : 503;
      if (path === '/slow') return new Promise((resolve) => setTimeout(() => resolve(200), 1500));
      return 200;
    });
    smtp = await startSmtpReceiver();
    const policyEnv = { QUEUE_PREFIX: uniquePrefix('notify') };
    api = await startTestApi(policyEnv);
    parent = await createUnit(api, 'NT-P', '上级单位', { contacts: { webhookUrl: `${hooks.url}/parent` } });
    lead = await createUnit(api, 'NT-L', '牵头单位', {
      parentId: parent,
      contacts: { webhookUrl: `${hooks.url}/flaky`, email: 'lead@duban.test' },
    });
    broken = await createUnit(api, 'NT-B', '接口故障单位', { contacts: { webhookUrl: `${hooks.url}/down` } });
    slow = await createUnit(api, 'NT-S', '慢接口单位', { contacts: { webhookUrl: `${hooks.url}/slow` } });
    metricsPort = await freePort();
    worker = startWorker(
      workerEnv(api, {
        ...policyEnv,
        WORKER_METRICS_PORT: String(metricsPort),
        SMTP_URL: smtp.url,
        NOTIFY_MAX_ATTEMPTS: '3',
        NOTIFY_BACKOFF_MS: '200',
        WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET,
      }),
    );
    await worker.waitFor('worker processing queues');
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
    await hooks?.close();
    await smtp?.close();
  });

  it('a webhook that fails twice is retried with backoff until it succeeds; the receiver can verify every signature', async () => {
    const issueId = await assign(lead);
    const delivered = await waitUntil(
      async () =>
        (await events('NotificationDelivered')).find((e) => e.data.issueId === issueId && e.data.channel === 'webhook'),
      'the webhook delivery',
    );
    const calls = hooks.calls.filter((c) => c.path === '/flaky' && JSON.parse(c.body).issueId === issueId);
    expect(calls.map((c) => c.status)).toEqual([500, 500, 204]);
    for (const call of calls) {
      expect(verifyWebhook(WEBHOOK_SECRET, call.body, call.headers['x-duban-signature'] as string)).toBe(true);
      expect(verifyWebhook('x'.repeat(40), call.body, call.headers['x-duban-signature'] as string)).toBe(false);
    }
    expect(JSON.parse(calls[2].body)).toMatchObject({ kind: 'assigned', issueId, unitId: lead, role: 'lead' });
    expect(delivered.data).toMatchObject({ attempts: 3, address: `${hooks.url}/flaky`, kind: 'assigned' });
    expect(delivered.metadata.actor).toMatchObject({ id: 'system:worker' });
  });

  it('e-mail reaches the SMTP server and is recorded', async () => {
    const issueId = await assign(lead);
    const delivered = await waitUntil(
      async () =>
        (await events('NotificationDelivered')).find((e) => e.data.issueId === issueId && e.data.channel === 'email'),
      'the e-mail delivery',
    );
    const mail = smtp.mails.find((m) => m.raw.includes(`X-Duban-Delivery: ${delivered.data.deliveryId}`));
    expect(mail).toBeDefined();
    expect(mail!.to).toEqual(['lead@duban.test']);
    expect(mail!.raw).toMatch(/Subject: /);
  });

  it('a delivery that fails every try is recorded as failed and dead-lettered; an admin retries it', async () => {
    const issueId = await assign(broken);
    const failed = await waitUntil(
      async () => (await events('NotificationDeliveryFailed')).find((e) => e.data.issueId === issueId),
      'the final failure',
    );
    expect(failed.data).toMatchObject({ attempts: 3, error: 'webhook answered HTTP 503' });
    expect(hooks.calls.filter((c) => c.path === '/down' && JSON.parse(c.body).issueId === issueId)).toHaveLength(3);
    const dead = await waitUntil(
      async () =>
        (await api.as('admin').get('/api/v1/admin/dead-letters').expect(200)).body.items.find(
          (d: { issueId: string }) => d.issueId === issueId,
        ),
      'the dead letter',
    );
    expect(dead).toMatchObject({ channel: 'webhook', error: 'webhook answered HTTP 503', attempts: 3 });
    await api.as('registrar').post(`/api/v1/admin/dead-letters/${dead.id}/retry`).send({}).expect(403);
    deadFixed = true;
    await api.as('admin').post(`/api/v1/admin/dead-letters/${dead.id}/retry`).send({}).expect(202);
    await waitUntil(
      async () => (await events('NotificationDelivered')).find((e) => e.data.issueId === issueId),
      'the retried delivery',
    );
    expect(
      (await api.as('admin').get('/api/v1/admin/dead-letters').expect(200)).body.items.find(
        (d: { id: string }) => d.id === dead.id,
      ),
    ).toBeUndefined();
    await api.as('admin').post(`/api/v1/admin/dead-letters/${dead.id}/retry`).send({}).expect(404);
  });

  it('escalations route upward: level 2 also notifies the parent unit, level 3 the supervision office with a summons proposal', async () => {
    const issueId = await assign(parent === lead ? broken : lead);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${issueId}/escalations`)
      .send({ level: 2, reason: '逾期未整改' })
      .expect(200);
    await waitUntil(
      () => hooks.calls.find((c) => c.path === '/parent' && JSON.parse(c.body).issueId === issueId),
      'the parent unit’s notification',
    );
    const toParent = JSON.parse(
      hooks.calls.find((c) => c.path === '/parent' && JSON.parse(c.body).issueId === issueId)!.body,
    );
    expect(toParent).toMatchObject({ kind: 'escalation_2', role: 'parent', unitId: parent });
    // the office has no route at level 2; at level 3 it is told, with the proposal (no officeUnitCode: inbox only)
    await api
      .as('registrar')
      .post(`/api/v1/issues/${issueId}/escalations`)
      .send({ level: 3, reason: '约谈' })
      .expect(200);
    const inbox = await waitUntil(async () => {
      const items = (await api.as('registrar').get('/api/v1/inbox?limit=500').expect(200)).body.items as {
        issueId: string;
        kind: string;
        role: string;
        unitId: string | null;
        proposal: string | null;
      }[];
      return items.some((n) => n.issueId === issueId && n.role === 'office')
        ? items.filter((n) => n.issueId === issueId)
        : null;
    }, 'the office notification in the inbox');
    expect(inbox).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'escalation_3', role: 'office', unitId: null, proposal: 'summons' }),
      ]),
    );
  });

  it('the inbox: a unit officer sees their unit’s notifications and marks them read, once', async () => {
    const issueId = await assign(lead);
    const officer = api.as('unit_officer', lead);
    const items = await waitUntil(async () => {
      const body = (await officer.get('/api/v1/inbox?unread=true&limit=500').expect(200)).body;
      return body.items.some((n: { issueId: string }) => n.issueId === issueId) ? body.items : null;
    }, 'the assignment in the inbox');
    const notification = items.find((n: { issueId: string }) => n.issueId === issueId);
    expect(notification).toMatchObject({ kind: 'assigned', unitId: lead, read: false });
    const first = await officer.post(`/api/v1/inbox/${notification.id}/read`).send({}).expect(200);
    const again = await officer.post(`/api/v1/inbox/${notification.id}/read`).send({}).expect(200);
    expect(again.body.revision).toBe(first.body.revision);
    const after = (
      await officer.get(`/api/v1/inbox?limit=500&minPosition=${first.body.position}`).expect(200)
    ).body.items.find((n: { id: string }) => n.id === notification.id);
    expect(after).toMatchObject({ read: true });
    expect(
      (
        await officer.get(`/api/v1/inbox?unread=true&limit=500&minPosition=${first.body.position}`).expect(200)
      ).body.items.find((n: { id: string }) => n.id === notification.id),
    ).toBeUndefined();
    // another unit's officer cannot see or mark it; an auditor writes nothing
    await api.as('unit_officer', broken).post(`/api/v1/inbox/${notification.id}/read`).send({}).expect(404);
    await api.as('auditor').post(`/api/v1/inbox/${notification.id}/read`).send({}).expect(403);
    await officer.post('/api/v1/inbox/not-an-id/read').send({}).expect(404);
  });

  it('the queue dashboard is for admins only', async () => {
    await api.http.get('/admin/queues').expect(401);
    await api.http
      .get('/admin/queues')
      .set('Authorization', `Bearer ${api.token('registrar')}`)
      .expect(403);
    const page = await api.http
      .get('/admin/queues')
      .set('Authorization', `Bearer ${api.token('admin')}`)
      .expect(200);
    expect(page.text).toContain('Duban');
    // a browser opens it with a one-time code (test/security-auth.e2e.spec.ts), never with a token in the URL
    await api.http.get(`/admin/queues?token=${api.token('admin')}`).expect(401);
    const queues = await api.http
      .get('/admin/queues/api/queues')
      .set('Authorization', `Bearer ${api.token('admin')}`)
      .expect(200);
    expect(queues.body.queues.map((q: { name: string }) => q.name)).toEqual(
      expect.arrayContaining(['deadlines', 'notifications', 'dead-letters', 'progress']),
    );
  });

  it("queue depth and dead letters show in the API's /metrics; deliveries by outcome in the worker's", async () => {
    const metrics = await api.http.get('/metrics').expect(200);
    expect(metrics.text).toMatch(/duban_queue_jobs\{[^}]*queue="dead-letters"/);
    const workerMetrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(workerMetrics).toMatch(
      /duban_notification_deliveries_total\{[^}]*channel="webhook",outcome="dead_lettered"[^}]*\} [1-9]/,
    );
    expect(workerMetrics).toMatch(/duban_notification_deliveries_total\{[^}]*outcome="delivered"/);
  });

  // last: it stops the worker
  it('SIGTERM lets the running delivery finish, records it, and closes everything', async () => {
    const issueId = await assign(slow);
    await waitUntil(
      () => hooks.arrived.find((c) => c.path === '/slow' && JSON.parse(c.body).issueId === issueId),
      'the slow webhook in flight',
    );
    const exit = await worker.stop('SIGTERM');
    expect(exit).toBe(0);
    expect(hooks.calls.find((c) => c.path === '/slow' && JSON.parse(c.body).issueId === issueId)?.status).toBe(200);
    expect(
      (await events('NotificationDelivered')).find((e) => e.data.issueId === issueId && e.data.channel === 'webhook'),
    ).toBeDefined();
    expect(worker.output()).toContain('queues closed');
    expect(worker.output()).toContain('stopped gracefully');
  });
});
