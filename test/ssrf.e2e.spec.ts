import { EVENT_STORE, EventStore, RecordedEvent } from '@duban/event-store';
import { startTestApi, TestApi } from './support/api';
import { createUnit, registerIssue } from './support/fixtures';
import { startWorker, WorkerProcess } from './support/worker-process';
import { startWebhookReceiver } from './support/receivers';
import { uniquePrefix, workerEnv } from './support/deadline-env';
import { waitUntil } from './support/wait';

/**
 * The real worker delivering to a real receiver on 127.0.0.1: refused (SSRF) until WEBHOOK_ALLOWED_HOSTS
 * names the address, then delivered.
 */
describe('webhook SSRF: a loopback target is refused unless allow-listed', () => {
  let api: TestApi;
  let worker: WorkerProcess | undefined;
  let hooks: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let unitId: string;
  const prefix = { QUEUE_PREFIX: uniquePrefix('ssrf') };

  const events = async (type: string): Promise<RecordedEvent[]> =>
    (await api.app.get<EventStore>(EVENT_STORE).readAll({ fromPosition: 0 })).filter((e) => e.type === type);
  const assign = async () => {
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
  const startWorkerWith = async (allowedHosts: string) => {
    worker = startWorker(
      workerEnv(api, {
        ...prefix,
        NOTIFY_MAX_ATTEMPTS: '3',
        NOTIFY_BACKOFF_MS: '200',
        WEBHOOK_ALLOWED_HOSTS: allowedHosts,
      }),
    );
    await worker.waitFor('worker processing queues');
  };

  beforeAll(async () => {
    hooks = await startWebhookReceiver(() => 200);
    api = await startTestApi(prefix);
    unitId = await createUnit(api, 'SSRF-1', '内网单位', { contacts: { webhookUrl: `${hooks.url}/robot/send` } });
  });

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  afterAll(async () => {
    await api?.close();
    await hooks?.close();
  });

  it('without an allow-list the delivery fails at the first try, naming the loopback address, and is dead-lettered', async () => {
    await startWorkerWith('');
    const issueId = await assign();
    const failed = await waitUntil(
      async () =>
        (await events('NotificationDeliveryFailed')).find(
          (e) => e.data.issueId === issueId && e.data.channel === 'webhook',
        ),
      'the refused delivery',
    );
    expect(failed.data.attempts).toBe(1);
    expect(failed.data.error).toMatch(/webhook target 127\.0\.0\.1 refused: 127\.0\.0\.1 is a loopback address/);
    const dead = await waitUntil(
      async () =>
        (await api.as('admin').get('/api/v1/admin/dead-letters').expect(200)).body.items.find(
          (d: { issueId?: string; channel: string }) => d.issueId === issueId && d.channel === 'webhook',
        ),
      'the dead letter',
    );
    expect(dead).toMatchObject({ attempts: 1 });
    expect(hooks.arrived.filter((c) => JSON.parse(c.body).issueId === issueId)).toHaveLength(0);
  });

  it('with WEBHOOK_ALLOWED_HOSTS=127.0.0.1 the same receiver gets the webhook', async () => {
    await startWorkerWith('127.0.0.1');
    const issueId = await assign();
    await waitUntil(
      async () =>
        (await events('NotificationDelivered')).find((e) => e.data.issueId === issueId && e.data.channel === 'webhook'),
      'the delivery',
    );
    const calls = hooks.calls.filter((c) => JSON.parse(c.body).issueId === issueId);
    expect(calls).toHaveLength(1);
    expect(calls[0].path).toBe('/robot/send');
  });

  it('a malformed allow-list stops the worker at start, naming the variable', async () => {
    const bad = startWorker(workerEnv(api, { ...prefix, WEBHOOK_ALLOWED_HOSTS: 'http://x/' }));
    const exited = await waitUntil(
      () => (bad.child.exitCode === null ? undefined : { code: bad.child.exitCode }),
      'the worker to exit',
    );
    expect(exited.code).not.toBe(0);
    expect(bad.output()).toMatch(/WEBHOOK_ALLOWED_HOSTS: \\"http:\/\/x\/\\" is neither a host name/);
    expect(bad.output()).not.toContain('worker processing queues');
  });
});
