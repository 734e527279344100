import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, future, issueBody, registerIssue } from './support/fixtures';

describe('the issue lifecycle over HTTP', () => {
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'A01', '市住建局');
    unitB = await createUnit(api, 'B01', '市交通局');
  });
  afterAll(async () => api.close());

  const get = (id: string, role: Parameters<TestApi['as']>[0] = 'registrar', unit?: string) =>
    api.as(role, unit).get(`/api/v1/issues/${id}`);

  it('runs from registration to 销号, through unsatisfied → reopen → satisfied, with extensions approved and rejected', async () => {
    const registered = await api.as('registrar').post('/api/v1/issues').send(issueBody()).expect(201);
    expect(registered.body).toEqual({ id: expect.any(String), revision: 0, position: expect.any(Number) });
    const id = registered.body.id as string;
    const officer = api.as('unit_officer', unitA);

    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/triage`)
      .send({ category: '窗口服务', priority: 'high', note: '群众反映强烈' })
      .expect(200);
    const deadline = future(10);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/assign`)
      .send({
        leadUnitId: unitA,
        coUnitIds: [unitB],
        responsiblePerson: { name: '王五', title: '科长' },
        deadline,
        instructions: '限期整改',
        mode: 'leader',
      })
      .expect(200);
    let state = (await get(id).expect(200)).body;
    expect(state).toMatchObject({
      id,
      status: 'assigned',
      leadUnitId: unitA,
      coUnitIds: [unitB],
      deadline,
      deadlineVersion: 1,
      escalationLevel: 0,
    });

    await officer
      .post(`/api/v1/issues/${id}/plan`)
      .send({ measures: [{ description: '建立首问负责制', owner: '王五', dueDate: future(5) }] })
      .expect(200);
    await officer.post(`/api/v1/issues/${id}/progress`).send({ text: '已完成培训', percent: 40 }).expect(200);

    const rejectedRequest = await officer
      .post(`/api/v1/issues/${id}/extension-requests`)
      .send({ newDeadline: future(20), reason: '需协调多部门' })
      .expect(201);
    expect(rejectedRequest.body).toEqual({
      requestId: expect.any(String),
      revision: expect.any(Number),
      position: expect.any(Number),
    });
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/extension-requests/${rejectedRequest.body.requestId}/decision`)
      .send({ approved: false, note: '理由不充分' })
      .expect(200);
    expect((await get(id)).body).toMatchObject({ deadline, deadlineVersion: 1 });

    const newDeadline = future(25);
    const approvedRequest = await officer
      .post(`/api/v1/issues/${id}/extension-requests`)
      .send({ newDeadline, reason: '涉及工程招标' })
      .expect(201);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/extension-requests/${approvedRequest.body.requestId}/decision`)
      .send({ approved: true })
      .expect(200);
    expect((await get(id)).body).toMatchObject({ deadline: newDeadline, deadlineVersion: 2 });

    await officer.post(`/api/v1/issues/${id}/result`).send({ summary: '已整改到位' }).expect(200);
    await api
      .as('assessor')
      .post(`/api/v1/issues/${id}/assessments`)
      .send({ verdict: 'unsatisfied', comment: '群众仍不满意', newDeadline: future(30) })
      .expect(200);
    state = (await get(id)).body;
    expect(state).toMatchObject({ status: 'reopened', deadlineVersion: 3 });

    await officer.post(`/api/v1/issues/${id}/progress`).send({ text: '二次整改中' }).expect(200);
    expect((await get(id)).body.status).toBe('in_progress');
    await officer.post(`/api/v1/issues/${id}/result`).send({ summary: '二次整改完成' }).expect(200);
    await api
      .as('assessor')
      .post(`/api/v1/issues/${id}/assessments`)
      .send({ verdict: 'satisfied', comment: '满意' })
      .expect(200);
    expect((await get(id)).body.status).toBe('accepted');
    await api.as('registrar').post(`/api/v1/issues/${id}/close`).send({ note: '销号备案' }).expect(200);
    state = (await get(id)).body;
    expect(state.status).toBe('closed');
    expect(state.assessments.map((a: { verdict: string }) => a.verdict)).toEqual(['unsatisfied', 'satisfied']);

    const history = (await api.as('auditor').get(`/api/v1/issues/${id}/history`).expect(200)).body;
    const types = history.events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('IssueRegistered');
    expect(types.length).toBeGreaterThanOrEqual(14);
    for (const [i, event] of history.events.entries()) {
      expect(event).toMatchObject({
        revision: i,
        position: expect.any(Number),
        recordedAt: expect.any(String),
        actor: { id: expect.any(String), role: expect.any(String) },
        data: expect.any(Object),
      });
    }
    expect(history.events.find((e: { type: string }) => e.type.includes('Assess'))?.actor.role).toBe('assessor');
  });

  it('withdraws a duplicate before a result is reported, and refuses after', async () => {
    const id = await registerIssue(api);
    await api.as('registrar').post(`/api/v1/issues/${id}/withdraw`).send({ reason: '重复件' }).expect(200);
    expect((await get(id)).body.status).toBe('withdrawn');
    const again = await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/withdraw`)
      .send({ reason: '重复件' })
      .expect(409);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
    expect(again.body.detail).toMatch(/withdrawn/);
  });

  it('escalates by hand, never down, and records accountability and lists', async () => {
    const id = await assignedIssue(api, unitA);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/escalations`)
      .send({ level: 2, reason: '推进缓慢' })
      .expect(200);
    expect((await get(id)).body.escalationLevel).toBe(2);
    const down = await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/escalations`)
      .send({ level: 1, reason: '降级' })
      .expect(409);
    expect(down.body.detail).toMatch(/level/);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/accountability`)
      .send({ measure: 'summons', target: { kind: 'unit', unitId: unitA }, reason: '整改不力' })
      .expect(200);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/lists`)
      .send({ list: 'black', reason: '推诿扯皮' })
      .expect(200);
  });

  it('refuses an illegal transition with 409 naming the state', async () => {
    const id = await registerIssue(api);
    const res = await api.as('registrar').post(`/api/v1/issues/${id}/close`).send({}).expect(409);
    expect(res.body).toMatchObject({ status: 409, detail: expect.stringMatching(/registered/) });
    const result = await api.as('admin').post(`/api/v1/issues/${id}/result`).send({ summary: 'x' }).expect(409);
    expect(result.body.detail).toMatch(/registered/);
  });

  it('answers 404 for an unknown issue and for an unknown extension request', async () => {
    await get('00000000-0000-4000-8000-000000000000').expect(404);
    const id = await assignedIssue(api, unitA);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/extension-requests/00000000-0000-4000-8000-000000000000/decision`)
      .send({ approved: true })
      .expect(404);
  });

  it('shows the state as it stood at a moment (?asOf=)', async () => {
    const id = await registerIssue(api);
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await api.as('registrar').post(`/api/v1/issues/${id}/triage`).send({ priority: 'urgent' }).expect(200);
    expect((await get(id)).body.status).toBe('triaged');
    const past = await api
      .as('auditor')
      .get(`/api/v1/issues/${id}?asOf=${encodeURIComponent(between)}`)
      .expect(200);
    expect(past.body).toMatchObject({ status: 'registered', revision: 0 });
    await api.as('auditor').get(`/api/v1/issues/${id}?asOf=yesterday`).expect(400);
    await api.as('auditor').get(`/api/v1/issues/${id}?asOf=2000-01-01T00:00:00Z`).expect(404);
  });

  it('carries the actor, correlation id and command id in every event', async () => {
    const res = await api
      .as('registrar')
      .post('/api/v1/issues')
      .set('X-Correlation-Id', 'corr-42')
      .send(issueBody())
      .expect(201);
    const history = (await api.as('auditor').get(`/api/v1/issues/${res.body.id}/history`)).body;
    expect(history.events[0]).toMatchObject({
      correlationId: 'corr-42',
      commandId: expect.any(String),
      actor: { id: 'user-registrar', role: 'registrar' },
    });
  });
});

describe('concurrency, If-Match and idempotency', () => {
  let api: TestApi;
  let unit: string;
  beforeAll(async () => {
    api = await startTestApi();
    unit = await createUnit(api, 'C01');
  });
  afterAll(async () => api.close());

  it('of 20 conflicting commands fired at once exactly one wins; the rest get 409', async () => {
    const id = await registerIssue(api);
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api
          .as('registrar')
          .post(`/api/v1/issues/${id}/assign`)
          .send({ leadUnitId: unit, responsiblePerson: { name: `负责人${i}` }, deadline: future(10), mode: 'joint' }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const history = (await api.as('auditor').get(`/api/v1/issues/${id}/history`)).body;
    expect(history.events.filter((e: { type: string }) => e.type === 'IssueAssigned')).toHaveLength(1);
  });

  it('answers 412 to a stale If-Match and accepts the current one', async () => {
    const id = await registerIssue(api);
    const current = await api.as('registrar').get(`/api/v1/issues/${id}`).expect(200);
    expect(current.headers.etag).toBe('"0"');
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/triage`)
      .set('If-Match', '"0"')
      .send({ priority: 'high' })
      .expect(200);
    const stale = await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/withdraw`)
      .set('If-Match', '"0"')
      .send({ reason: '重复' })
      .expect(412);
    expect(stale.headers['content-type']).toMatch(/problem\+json/);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/withdraw`)
      .set('If-Match', '"1"')
      .send({ reason: '重复' })
      .expect(200);
  });

  it('replays a retried POST with the same Idempotency-Key and appends nothing; another body is 422', async () => {
    const first = await api
      .as('registrar')
      .post('/api/v1/issues')
      .set('Idempotency-Key', 'reg-001')
      .send(issueBody())
      .expect(201);
    const again = await api
      .as('registrar')
      .post('/api/v1/issues')
      .set('Idempotency-Key', 'reg-001')
      .send(issueBody())
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await api
      .as('registrar')
      .post('/api/v1/issues')
      .set('Idempotency-Key', 'reg-001')
      .send(issueBody({ title: '另一个问题' }))
      .expect(422);
    const id = first.body.id;
    const t1 = await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/triage`)
      .set('Idempotency-Key', 'tri-1')
      .send({ priority: 'high' })
      .expect(200);
    const t2 = await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/triage`)
      .set('Idempotency-Key', 'tri-1')
      .send({ priority: 'high' })
      .expect(200);
    expect(t2.body).toEqual(t1.body);
    const history = (await api.as('auditor').get(`/api/v1/issues/${id}/history`)).body;
    expect(history.events).toHaveLength(2);
  });

  it('simultaneous duplicates with one Idempotency-Key run the command once', async () => {
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.as('registrar').post('/api/v1/issues').set('Idempotency-Key', 'burst-1').send(issueBody()),
      ),
    );
    const created = responses.filter((r) => r.status === 201).map((r) => r.body.id);
    expect(new Set(created).size).toBe(1);
    for (const r of responses) expect([201, 409]).toContain(r.status);
  });
});

describe('re-assignment (改派) and overdue', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  it('moves an assigned issue to another unit before work starts, then refuses once the unit has started', async () => {
    const a = await createUnit(api, 'RE-A');
    const b = await createUnit(api, 'RE-B');
    const id = await assignedIssue(api, a);
    const body = {
      leadUnitId: b,
      responsiblePerson: { name: '孙八' },
      deadlineWorkingDays: 10,
      mode: 'counterpart',
      reason: '职责调整',
    };
    await api.as('unit_officer', b).post(`/api/v1/issues/${id}/reassign`).send(body).expect(403);
    await api.as('registrar').post(`/api/v1/issues/${id}/reassign`).send(body).expect(200);
    const state = (await api.as('registrar').get(`/api/v1/issues/${id}`)).body;
    expect(state).toMatchObject({ status: 'assigned', leadUnitId: b, deadlineVersion: 2, overdue: false });
    await api.as('unit_officer', a).get(`/api/v1/issues/${id}`).expect(403);
    await api
      .as('unit_officer', b)
      .post(`/api/v1/issues/${id}/plan`)
      .send({ measures: [{ description: '整改', owner: '孙八', dueDate: future(3) }] })
      .expect(200);
    const late = await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/reassign`)
      .send({ ...body, leadUnitId: a })
      .expect(409);
    expect(late.body.detail).toMatch(/re-assign/);
  });
});
