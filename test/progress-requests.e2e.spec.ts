import { startTestApi, TestApi } from './support/api';
import { createUnit, future } from './support/fixtures';
import { startWorker, WorkerProcess } from './support/worker-process';
import { history, issueDueIn, uniquePrefix, workerEnv, workerQueue } from './support/deadline-env';
import { waitUntil } from './support/wait';

/**
 * 按月上报工作进度 through the real worker: a progress request goes to every open issue (sent by hand here;
 * the cron sends the same job monthly), and at the due time the issues that did not report get a reminder.
 */
describe('monthly progress requests', () => {
  let api: TestApi;
  let worker: WorkerProcess;
  let unitId: string;

  beforeAll(async () => {
    api = await startTestApi({ QUEUE_PREFIX: uniquePrefix('progress') });
    unitId = await createUnit(api, 'PR-1');
    worker = startWorker(workerEnv(api, { DEADLINE_REMINDERS: 'P3D', DEADLINE_ESCALATIONS: 'P1D,P2D,P3D,P4D' }));
    await worker.waitFor('worker processing queues');
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
  });

  it('asks every open issue for its report once, and reminds only the ones that did not report by the due time', async () => {
    const silent = await issueDueIn(api, unitId, 30 * 86_400);
    const diligent = await issueDueIn(api, unitId, 30 * 86_400);
    const reported = await issueDueIn(api, unitId, 30 * 86_400);
    await api
      .as('unit_officer', unitId)
      .post(`/api/v1/issues/${reported}/result`)
      .send({ summary: '已整改' })
      .expect(200);
    const dueBy = new Date(Date.now() + 4000).toISOString();
    const sent = await api
      .as('registrar')
      .post('/api/v1/admin/progress-requests')
      .send({ month: '2026-11', dueBy })
      .expect(202);
    expect(sent.body).toMatchObject({ month: '2026-11', dueBy });
    // sending it twice asks once
    await api.as('admin').post('/api/v1/admin/progress-requests').send({ month: '2026-11', dueBy }).expect(202);
    // only this request's month: from the 1st to the due day of a month, the worker's reconciler also sends the
    // current month's request to every open issue, as it should
    const types = async (id: string) =>
      (await history(api, id)).filter((e) => !e.data.month || e.data.month === '2026-11').map((e) => e.type);
    await waitUntil(
      async () =>
        (await types(silent)).includes('ProgressRequested') && (await types(diligent)).includes('ProgressRequested'),
      'the requests',
    );
    await api
      .as('unit_officer', unitId)
      .post(`/api/v1/issues/${diligent}/progress`)
      .send({ text: '本月完成培训', percent: 60 })
      .expect(200);
    await waitUntil(async () => (await types(silent)).includes('ProgressReminderSent'), 'the reminder', 15_000);
    // nothing more may come: every progress job due by now has run (next month's cron job waits)
    const progress = workerQueue(api, 'progress');
    try {
      await waitUntil(
        async () => (await progress.pending({ dueBy: Date.now() })) === 0,
        'the progress queue to settle',
      );
    } finally {
      await progress.close();
    }
    expect((await types(silent)).filter((t) => t.startsWith('Progress'))).toEqual([
      'ProgressRequested',
      'ProgressReminderSent',
    ]);
    expect((await types(diligent)).filter((t) => t.startsWith('Progress'))).toEqual([
      'ProgressRequested',
      'ProgressReported',
    ]);
    // no request once the result is in
    expect((await types(reported)).filter((t) => t.startsWith('Progress'))).toEqual([]);
    const reminder = (await history(api, silent)).find((e) => e.type === 'ProgressReminderSent')!;
    expect(reminder.actor.id).toBe('system:worker');
    expect(Date.parse(reminder.recordedAt)).toBeGreaterThanOrEqual(Date.parse(dueBy));
  }, 40_000);

  it('who may send it, and what it refuses', async () => {
    await api.as('unit_officer', unitId).post('/api/v1/admin/progress-requests').send({}).expect(403);
    await api.as('auditor').post('/api/v1/admin/progress-requests').send({}).expect(403);
    const past = await api
      .as('registrar')
      .post('/api/v1/admin/progress-requests')
      .send({ dueBy: '2020-01-01T00:00:00Z' })
      .expect(400);
    expect(past.body.errors[0].field).toBe('dueBy');
    const bad = await api
      .as('registrar')
      .post('/api/v1/admin/progress-requests')
      .send({ month: '2026-13', extra: 1 })
      .expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    await api
      .as('registrar')
      .post('/api/v1/admin/progress-requests')
      .send({ dueBy: future(1) })
      .expect(202);
  });
});
