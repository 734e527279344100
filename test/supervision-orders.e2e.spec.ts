import { EVENT_STORE, EventStore } from '@duban/event-store';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, future, registerIssue } from './support/fixtures';

/**
 * The office's orders (issue 14, first part): 责令限期整改 sets a new time limit on an open issue, 回头看 reopens
 * a closed one, the intake fields the seeds name are kept, and the seeds' accountability measures are recordable.
 */
describe('supervision with teeth: time-limit orders, reopening closed issues, intake fields, accountability measures', () => {
  let api: TestApi;
  let unit: string;
  let other: string;
  const head = () => (api.app.get(EVENT_STORE) as EventStore).headPosition();
  const get = async (id: string) => (await api.as('registrar').get(`/api/v1/issues/${id}`).expect(200)).body;

  beforeAll(async () => {
    api = await startTestApi();
    unit = await createUnit(api, 'SUP01', '市住建局');
    other = await createUnit(api, 'SUP02', '市交通局');
  });
  afterAll(async () => api.close());

  /** An issue taken through its lifecycle to 销号. */
  async function closedIssue(): Promise<string> {
    const id = await assignedIssue(api, unit);
    const officer = api.as('unit_officer', unit);
    await officer.post(`/api/v1/issues/${id}/result`).send({ summary: '已整改' }).expect(200);
    await api.as('assessor').post(`/api/v1/issues/${id}/assessments`).send({ verdict: 'satisfied' }).expect(200);
    await api.as('registrar').post(`/api/v1/issues/${id}/close`).send({}).expect(200);
    return id;
  }

  describe('责令限期整改: POST /issues/:id/time-limit', () => {
    it('orders a new deadline on an open issue: a new version, listed in timeLimitOrders and the history', async () => {
      const id = await assignedIssue(api, unit);
      const deadline = future(20);
      const answer = await api
        .as('registrar')
        .post(`/api/v1/issues/${id}/time-limit`)
        .send({ deadline, reason: '黑榜通报，限期整改' })
        .expect(200);
      expect(answer.body).toMatchObject({ id, deadline, deadlineProvisional: false });
      const issue = await get(id);
      expect(issue).toMatchObject({ deadline, deadlineVersion: 2, status: 'assigned' });
      expect(issue.timeLimitOrders).toEqual([
        expect.objectContaining({ deadline, deadlineVersion: 2, reason: '黑榜通报，限期整改' }),
      ]);
      const history = (await api.as('auditor').get(`/api/v1/issues/${id}/history`).expect(200)).body.events;
      expect(history.map((e: { type: string }) => e.type)).toContain('TimeLimitOrdered');
    });

    it('counts a time limit in working days through the calendar in force', async () => {
      const id = await assignedIssue(api, unit);
      const answer = await api
        .as('registrar')
        .post(`/api/v1/issues/${id}/time-limit`)
        .send({ deadlineWorkingDays: 15, reason: '限期十五个工作日' })
        .expect(200);
      const issue = await get(id);
      expect(issue).toMatchObject({ deadline: answer.body.deadline, deadlineWorkingDays: 15, deadlineVersion: 2 });
      // 15 working days are at least 3 weeks of calendar time
      expect(Date.parse(issue.deadline) - Date.now()).toBeGreaterThan(19 * 86_400_000);
    });

    it('is the office’s: a unit officer and an assessor get 403 and nothing is appended', async () => {
      const id = await assignedIssue(api, unit);
      const before = await head();
      for (const role of ['unit_officer', 'assessor', 'auditor'] as const) {
        await api
          .as(role, unit)
          .post(`/api/v1/issues/${id}/time-limit`)
          .send({ deadline: future(20), reason: 'x' })
          .expect(403);
      }
      expect(await head()).toBe(before);
    });

    it('refuses a closed issue with 409 naming the state, and a body with both or neither deadline with 400', async () => {
      const id = await closedIssue();
      const closed = await api
        .as('registrar')
        .post(`/api/v1/issues/${id}/time-limit`)
        .send({ deadline: future(20), reason: '再次整改' })
        .expect(409);
      expect(closed.body).toMatchObject({ state: 'closed' });
      expect(closed.body.detail).toMatch(/reopen it/);
      const open = await assignedIssue(api, unit);
      const before = await head();
      for (const body of [{ reason: 'x' }, { deadline: future(5), deadlineWorkingDays: 5, reason: 'x' }]) {
        const bad = await api.as('registrar').post(`/api/v1/issues/${open}/time-limit`).send(body).expect(400);
        expect(JSON.stringify(bad.body.errors)).toContain('deadline');
      }
      await api
        .as('registrar')
        .post(`/api/v1/issues/${open}/time-limit`)
        .send({ deadline: future(5), reason: 'x', extra: 1 })
        .expect(400);
      expect(await head()).toBe(before);
    });
  });

  describe('回头看: POST /issues/:id/reopen', () => {
    it('reopens a closed issue with a reason and a new deadline; statistics count it as reopened, not as a second issue', async () => {
      const id = await closedIssue();
      const before = (await api.as('registrar').get('/api/v1/stats').expect(200)).body;
      const answer = await api
        .as('assessor')
        .post(`/api/v1/issues/${id}/reopen`)
        .send({ deadlineWorkingDays: 10, reason: '回访发现问题反弹' })
        .expect(200);
      const issue = await get(id);
      expect(issue).toMatchObject({ status: 'reopened', deadlineVersion: 2, deadline: answer.body.deadline });
      expect(issue.reopenings).toEqual([expect.objectContaining({ reason: '回访发现问题反弹' })]);
      const after = (await api.as('registrar').get(`/api/v1/stats?minPosition=${answer.body.position}`).expect(200))
        .body;
      expect(after.total).toBe(before.total);
      expect(after.byStatus.reopened).toBe(before.byStatus.reopened + 1);
      expect(after.byStatus.closed).toBe(before.byStatus.closed - 1);
      // the unit rectifies again and can report a new result
      await api
        .as('unit_officer', unit)
        .post(`/api/v1/issues/${id}/result`)
        .send({ summary: '再次整改到位' })
        .expect(200);
    });

    it('refuses an open issue (order a time limit instead) and a unit officer', async () => {
      const id = await assignedIssue(api, unit);
      const open = await api
        .as('registrar')
        .post(`/api/v1/issues/${id}/reopen`)
        .send({ deadline: future(20), reason: 'x' })
        .expect(409);
      expect(open.body.detail).toMatch(/order a new time limit/);
      const closed = await closedIssue();
      await api
        .as('unit_officer', unit)
        .post(`/api/v1/issues/${closed}/reopen`)
        .send({ deadline: future(20), reason: 'x' })
        .expect(403);
    });
  });

  describe('intake as the seeds describe it', () => {
    it('keeps kind, accused, reference, a leader’s instruction and backlog; takes the media and survey sources', async () => {
      const intake = {
        source: 'media',
        kind: 'suggestion',
        accused: { unitId: other, person: '王某' },
        reference: '12345-2026-000123',
        forwardedBy: { name: '张三', title: '副市长', instruction: '请督查室跟踪督办' },
        backlog: true,
      };
      const id = await registerIssue(api, intake);
      expect(await get(id)).toMatchObject(intake);
      const survey = await registerIssue(api, { source: 'survey' });
      expect(await get(survey)).toMatchObject({ source: 'survey', kind: 'problem', backlog: false });
    });

    it('refuses an unknown kind, an accused naming nobody and a forwarding without an instruction, naming the field', async () => {
      const before = await head();
      const cases: [Record<string, unknown>, string][] = [
        [{ kind: 'rumour' }, 'kind'],
        [{ accused: {} }, 'accused'],
        [{ forwardedBy: { name: '张三' } }, 'forwardedBy.instruction'],
        [{ backlog: 'yes' }, 'backlog'],
      ];
      for (const [overrides, field] of cases) {
        const res = await api
          .as('registrar')
          .post('/api/v1/issues')
          .send({ ...baseIssue(), ...overrides })
          .expect(400);
        expect(JSON.stringify(res.body)).toContain(field);
      }
      expect(await head()).toBe(before);
    });
  });

  it('三种单位: the lead plans and reports the result; co-units and responsible units see the issue and report progress on their part, 403 for the rest', async () => {
    const responsible = await createUnit(api, 'SUP03', '区政府');
    const id = await registerIssue(api);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/assign`)
      .send({
        leadUnitId: unit,
        coUnitIds: [other],
        responsibleUnitIds: [responsible],
        responsiblePerson: { name: '王五' },
        deadline: future(30),
        mode: 'joint',
      })
      .expect(200);
    expect(await get(id)).toMatchObject({ leadUnitId: unit, coUnitIds: [other], responsibleUnitIds: [responsible] });
    for (const helper of [other, responsible]) {
      const officer = api.as('unit_officer', helper);
      await officer.get(`/api/v1/issues/${id}`).expect(200);
      const before = await head();
      const refusals: [string, object][] = [
        ['plan', { measures: [{ description: '整改', owner: '李', dueDate: future(5) }] }],
        ['result', { summary: '已整改' }],
        ['extension-requests', { newDeadline: future(40), reason: '需协调' }],
      ];
      for (const [path, body] of refusals) {
        const res = await officer.post(`/api/v1/issues/${id}/${path}`).send(body).expect(403);
        expect(res.body.detail).toMatch(/lead unit/);
      }
      expect(await head()).toBe(before);
      await officer
        .post(`/api/v1/issues/${id}/progress`)
        .send({ text: `单位 ${helper} 的部分已完成` })
        .expect(200);
    }
    const progress = (await get(id)).progress as { unitId: string }[];
    expect(progress.map((p) => p.unitId)).toEqual([other, responsible]);
    const listed = await api
      .as('unit_officer', responsible)
      .get(`/api/v1/issues?unitId=${responsible}&minPosition=${await head()}`)
      .expect(200);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(id);
    const ledger = await api
      .as('registrar')
      .get(`/api/v1/ledgers/responsibilities?minPosition=${await head()}`)
      .expect(200);
    const row = ledger.body.items.find((r: { id: string }) => r.id === id);
    expect(row.responsibleUnits).toBe('区政府');
    await api
      .as('unit_officer', unit)
      .post(`/api/v1/issues/${id}/plan`)
      .send({ measures: [{ description: '整改', owner: '李', dueDate: future(5) }] })
      .expect(200);
  });

  it('records the accountability measures the seeds name, against a principal leader', async () => {
    const id = await assignedIssue(api, unit);
    for (const measure of ['reminder_talk', 'organisational_adjustment', 'honours_disqualification']) {
      await api
        .as('registrar')
        .post(`/api/v1/issues/${id}/accountability`)
        .send({
          measure,
          target: { kind: 'person', name: '赵局长', unitId: unit, principal: true },
          reason: '整改不力',
        })
        .expect(200);
    }
    const issue = await get(id);
    expect(issue.accountability.map((a: { measure: string }) => a.measure)).toEqual([
      'reminder_talk',
      'organisational_adjustment',
      'honours_disqualification',
    ]);
    expect(issue.accountability[0].target).toMatchObject({ principal: true });
  });
});

const baseIssue = () => ({ source: 'hotline', category: '作风建设', title: '标题', description: '描述' });
