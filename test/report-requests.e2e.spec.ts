import IORedis from 'ioredis';
import { Queue } from 'bullmq';
import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';
import { logHead } from './support/log-head';
import { startWorker, WorkerProcess } from './support/worker-process';
import { uniquePrefix, workerEnv } from './support/deadline-env';
import { waitUntil } from './support/wait';

interface RequestView {
  id: string;
  dueAt: string;
  due: boolean;
  programmeId: string | null;
  submitted: { unitId: string; at: string; late: boolean }[];
  missing: string[];
  reports: { unitId: string; text: string }[];
  reminders: { offset: string; unitIds: string[]; at: string }[];
  overdue: { unitIds: string[]; at: string } | null;
}

/**
 * 报送要求 through the API and the real worker: 效能风暴's special report (专项报告, "12月10日前报送"), asked of four
 * units; here it is due seconds after it is asked, and the worker reminds with DEADLINE_REMINDERS=PT8S,PT4S.
 */
describe('unit reports with due dates (报送要求)', () => {
  let api: TestApi;
  let worker: WorkerProcess;
  const units: Record<'A' | 'B' | 'C' | 'D' | 'E', string> = { A: '', B: '', C: '', D: '', E: '' };
  const env = () => workerEnv(api, { DEADLINE_REMINDERS: 'PT8S,PT4S', DEADLINE_ESCALATIONS: 'P1D,P2D,P3D,P4D' });

  beforeAll(async () => {
    api = await startTestApi({ QUEUE_PREFIX: uniquePrefix('reports') });
    for (const key of Object.keys(units) as (keyof typeof units)[]) units[key] = await createUnit(api, `RR-${key}`);
    worker = startWorker(env());
    await worker.waitFor('worker processing queues');
  });

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
  });

  const view = async (id: string, role: 'registrar' | 'unit_officer' = 'registrar', unitId?: string) =>
    (await api.as(role, unitId).get(`/api/v1/report-requests/${id}`).expect(200)).body as RequestView;
  const submit = (id: string, unit: keyof typeof units, text = `${unit} 单位专项报告`) =>
    api
      .as('unit_officer', units[unit])
      .post(`/api/v1/report-requests/${id}/reports`)
      .send({ unitId: units[unit], text });
  const ask = (body: Record<string, unknown>) =>
    api
      .as('registrar')
      .post('/api/v1/report-requests')
      .send({ title: '效能风暴攻坚战专项报告（12月10日前报送）', kind: 'special', ...body });

  it('reminds the units that have not reported before the due time, records the two missing ones at it, and a late report says late', async () => {
    const programme = await api
      .as('registrar')
      .post('/api/v1/programmes')
      .send({
        name: '效能风暴',
        year: new Date().getUTCFullYear(),
        kind: 'campaign',
        period: { from: `${new Date().getUTCFullYear()}-01-01`, to: `${new Date().getUTCFullYear()}-12-31` },
      })
      .expect(201);
    const dueAt = new Date(Date.now() + 10_000).toISOString();
    const created = await ask({
      unitIds: [units.A, units.B, units.C, units.D],
      dueDate: dueAt,
      programmeId: programme.body.id,
    }).expect(201);
    const id = created.body.id as string;
    await submit(id, 'A').expect(201);
    // the PT8S reminder names the three that have not reported
    const first = await waitUntil(async () => (await view(id)).reminders[0], 'the first reminder', 15_000);
    expect(first).toMatchObject({ offset: 'PT8S', unitIds: [units.B, units.C, units.D] });
    expect(Date.parse(first.at)).toBeLessThan(Date.parse(dueAt));
    await submit(id, 'B').expect(201);
    const overdue = await waitUntil(async () => (await view(id)).overdue, 'the overdue record', 20_000);
    expect(overdue.unitIds).toEqual([units.C, units.D]);
    expect(Date.parse(overdue.at)).toBeGreaterThanOrEqual(Date.parse(dueAt));

    // C reports after the due time: accepted, and late
    const lateReport = (await submit(id, 'C', 'C 单位补报').expect(201)).body;
    const after = await view(id);
    expect(after).toMatchObject({ id, dueAt, due: true, programmeId: programme.body.id });
    expect(after.submitted.map(({ unitId, late }) => ({ unitId, late }))).toEqual([
      { unitId: units.A, late: false },
      { unitId: units.B, late: false },
      { unitId: units.C, late: true },
    ]);
    expect(after.missing).toEqual([units.D]);
    // the second reminder came before the due time and named only those still missing then
    expect(after.reminders.map((r) => ({ offset: r.offset, unitIds: r.unitIds }))).toEqual([
      { offset: 'PT8S', unitIds: [units.B, units.C, units.D] },
      { offset: 'PT4S', unitIds: [units.C, units.D] },
    ]);
    expect(after.reminders.every((r) => Date.parse(r.at) < Date.parse(dueAt))).toBe(true);
    // each worker step once, recorded by the worker
    const history = (await api.as('auditor').get(`/api/v1/audit/streams/report-request-${id}`).expect(200)).body
      .events as { type: string; metadata: { actor: { id: string } } }[];
    expect(history.map((e) => e.type)).toEqual([
      'ReportRequestCreated',
      'UnitReportSubmitted',
      'UnitReportsReminded',
      'UnitReportSubmitted',
      'UnitReportsReminded',
      'UnitReportsOverdue',
      'UnitReportSubmitted',
    ]);
    expect(
      history.filter((e) => e.type.startsWith('UnitReports')).every((e) => e.metadata.actor.id === 'system:worker'),
    ).toBe(true);

    // D was told: asked, reminded twice, overdue — in its inbox
    const inbox = (
      await api
        .as('unit_officer', units.D)
        .get(`/api/v1/inbox?limit=500&minPosition=${lateReport.position}`)
        .expect(200)
    ).body.items as {
      kind: string;
      issueId: string;
      title: string;
    }[];
    expect(
      inbox
        .filter((n) => n.issueId === id)
        .map((n) => n.kind)
        .sort(),
    ).toEqual(['report_overdue', 'report_reminder', 'report_reminder', 'report_requested']);
    expect(inbox.find((n) => n.issueId === id)?.title).toBe('效能风暴攻坚战专项报告（12月10日前报送）');

    // scorecards count reports on time, late and missing
    const { position } = lateReport;
    const card = async (unit: keyof typeof units) =>
      (await api.as('registrar').get(`/api/v1/units/${units[unit]}/scorecard?minPosition=${position}`).expect(200)).body
        .reports;
    expect(await card('A')).toEqual({ asked: 1, onTime: 1, late: 0, missing: 0, pending: 0 });
    expect(await card('C')).toEqual({ asked: 1, onTime: 0, late: 1, missing: 0, pending: 0 });
    expect(await card('D')).toEqual({ asked: 1, onTime: 0, late: 0, missing: 1, pending: 0 });
    expect(await card('E')).toEqual({ asked: 0, onTime: 0, late: 0, missing: 0, pending: 0 });
  });

  it('survives a killed worker and a Redis that forgot its jobs: the reconciler queues the steps again, each recorded once', async () => {
    await worker.stop('SIGKILL');
    const dueAt = new Date(Date.now() + 20_000).toISOString();
    const { id } = (await ask({ unitIds: [units.A, units.E], dueDate: dueAt }).expect(201)).body;
    const connection = new IORedis(api.config.redisUrl, { maxRetriesPerRequest: null });
    const progress = new Queue('progress', { connection, prefix: api.config.queuePrefix });
    try {
      await progress.obliterate({ force: true });
    } finally {
      await progress.close();
      await connection.quit();
    }
    worker = startWorker(env());
    await worker.waitFor('worker processing queues');
    const overdue = await waitUntil(async () => (await view(id)).overdue, 'the overdue record', 30_000);
    expect(overdue.unitIds).toEqual([units.A, units.E]);
    // a second restart queues the steps again; nothing is recorded twice
    await worker.stop();
    worker = startWorker(env());
    await worker.waitFor('reconciled the schedule with Redis');
    const reconciledAgain = worker
      .output()
      .split('\n')
      .filter((l) => l.includes('reconciled the schedule')).length;
    await waitUntil(
      () =>
        worker
          .output()
          .split('\n')
          .filter((l) => l.includes('reconciled the schedule')).length > reconciledAgain,
      'another reconciliation',
    );
    // the reminders whose time came while the worker was up (PT4S at least; PT8S if it was up 12 s after the
    // request: a worker starts in about 10 s here), each once and before the due time
    const { reminders } = await view(id);
    const offsets = reminders.map((r) => r.offset);
    expect(offsets).toContain('PT4S');
    expect(new Set(offsets).size).toBe(offsets.length);
    expect(reminders.every((r) => Date.parse(r.at) < Date.parse(dueAt))).toBe(true);
    const history = (await api.as('auditor').get(`/api/v1/audit/streams/report-request-${id}`).expect(200)).body
      .events as { type: string }[];
    expect(history.map((e) => e.type)).toEqual([
      'ReportRequestCreated',
      ...offsets.map(() => 'UnitReportsReminded'),
      'UnitReportsOverdue',
    ]);
  });

  it('a date is due by the end of that day in TZ_AGENCY; bad fields are named; a retry with the same key asks once', async () => {
    const year = new Date().getUTCFullYear() + 1;
    const dated = await ask({ unitIds: [units.A], dueDate: `${year}-12-10` }).expect(201);
    expect((await view(dated.body.id)).dueAt).toBe(`${year}-12-10T15:59:59.999Z`);

    const head = await logHead(api);
    const field = async (body: Record<string, unknown>) => {
      const res = await ask({ unitIds: [units.A], dueDate: `${year}-12-10`, ...body }).expect(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      return (res.body.errors as { field: string }[]).map((e) => e.field);
    };
    expect(await field({ dueDate: new Date(Date.now() - 60_000).toISOString() })).toEqual(['dueDate']);
    expect(await field({ dueDate: '10 December' })).toEqual(['dueDate']);
    expect(await field({ dueDate: `${year}-02-30` })).toEqual(['dueDate']);
    expect(await field({ unitIds: [] })).toEqual(['unitIds']);
    expect(await field({ unitIds: ['0b7e0d4c-9a43-4c3e-9d5b-6a7c1d2e3f40'] })).toEqual(['unitIds[0]']);
    expect(await field({ kind: 'monthly' })).toEqual(['kind']);
    expect(await field({ programmeId: '0b7e0d4c-9a43-4c3e-9d5b-6a7c1d2e3f40' })).toEqual(['programmeId']);
    expect(await logHead(api)).toBe(head);

    const once = () =>
      ask({ unitIds: [units.B], dueDate: `${year}-12-10` })
        .set('Idempotency-Key', 'report-request-retry-1')
        .expect(201);
    const first = (await once()).body;
    const afterFirst = await logHead(api);
    expect((await once()).body).toEqual(first);
    expect(await logHead(api)).toBe(afterFirst);
  });

  it("only the asked unit's own officer reports, once: another unit's 403, a stranger's 403, nothing appended; unknown 404", async () => {
    const year = new Date().getUTCFullYear() + 1;
    const { id } = (await ask({ unitIds: [units.A, units.B], dueDate: `${year}-12-10` }).expect(201)).body;
    const head = await logHead(api);
    // B's officer reporting for A
    const forA = await api
      .as('unit_officer', units.B)
      .post(`/api/v1/report-requests/${id}/reports`)
      .send({ unitId: units.A, text: '代报' })
      .expect(403);
    expect(forA.headers['content-type']).toMatch(/problem\+json/);
    // E is not asked
    await submit(id, 'E').expect(403);
    // the office does not report for a unit; an assessor neither
    await api
      .as('registrar')
      .post(`/api/v1/report-requests/${id}/reports`)
      .send({ unitId: units.A, text: 't' })
      .expect(403);
    await api
      .as('assessor')
      .post(`/api/v1/report-requests/${id}/reports`)
      .send({ unitId: units.A, text: 't' })
      .expect(403);
    await api.as('unit_officer', units.A).post('/api/v1/report-requests').send({}).expect(403);
    expect(await logHead(api)).toBe(head);
    // unknown and malformed ids
    await submit('0b7e0d4c-9a43-4c3e-9d5b-6a7c1d2e3f40', 'A').expect(404);
    await submit('not-an-id', 'A').expect(404);
    await api.as('registrar').get('/api/v1/report-requests/0b7e0d4c-9a43-4c3e-9d5b-6a7c1d2e3f40').expect(404);
    // a bad body names its fields
    const bad = await api
      .as('unit_officer', units.A)
      .post(`/api/v1/report-requests/${id}/reports`)
      .send({ unitId: units.A, text: '', attachments: 'x' })
      .expect(400);
    expect((bad.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['attachments', 'text']);
    expect(await logHead(api)).toBe(head);
    // once
    await submit(id, 'A').expect(201);
    const again = await submit(id, 'A').expect(409);
    expect(again.body.detail).toMatch(/already submitted/);

    // who sees what: A's officer sees this request and its own report text, not B's; E sees nothing of it
    await submit(id, 'B', 'B 的报告').expect(201);
    const asA = await view(id, 'unit_officer', units.A);
    expect(asA.submitted.map((s) => s.unitId)).toEqual([units.A, units.B]);
    expect(asA.reports.map((r) => r.unitId)).toEqual([units.A]);
    await api.as('unit_officer', units.E).get(`/api/v1/report-requests/${id}`).expect(404);
    const listE = (await api.as('unit_officer', units.E).get('/api/v1/report-requests').expect(200)).body.items as {
      id: string;
    }[];
    expect(listE.map((r) => r.id)).not.toContain(id);
    const listA = await waitUntil(
      async () =>
        (
          (await api.as('unit_officer', units.A).get('/api/v1/report-requests').expect(200)).body.items as {
            id: string;
          }[]
        )
          .map((r) => r.id)
          .includes(id),
      "the request in A's list",
    );
    expect(listA).toBe(true);
  });
});
