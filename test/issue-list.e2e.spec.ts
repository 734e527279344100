import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, future, issueBody } from './support/fixtures';

describe('GET /issues: filters, full text, paging, scoping', () => {
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  let head = 0;
  const remember = (position: number) => (head = Math.max(head, position));
  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'LA');
    unitB = await createUnit(api, 'LB');
  });
  afterAll(async () => api.close());

  /** a write after the others: once the read model has it, it has everything before it */
  const barrier = async () =>
    remember(
      (
        await api
          .as('registrar')
          .post('/api/v1/issues')
          .send(issueBody({ category: 'barrier' }))
          .expect(201)
      ).body.position,
    );
  const list = (query: string, role: Parameters<TestApi['as']>[0] = 'registrar', unit?: string) =>
    api.as(role, unit).get(`/api/v1/issues?minPosition=${head}&${query}`);

  it('filters by status, unit (lead or co), source, escalation level and overdue', async () => {
    const registered = await api
      .as('registrar')
      .post('/api/v1/issues')
      .send(issueBody({ source: 'petition', title: '信访件：供暖不热' }))
      .expect(201);
    remember(registered.body.position);
    const led = await assignedIssue(api, unitA);
    const co = await assignedIssue(api, unitB, 10, [unitA]);
    const esc = await api
      .as('registrar')
      .post(`/api/v1/issues/${led}/escalations`)
      .send({ level: 2, reason: '推进缓慢' })
      .expect(200);
    remember(esc.body.position);
    await barrier();

    const byStatus = (await list('status=registered').expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(byStatus).toContain(registered.body.id);
    expect(byStatus).not.toContain(led);
    const byUnit = (await list(`unitId=${unitA}`).expect(200)).body.items.map((i: { id: string }) => i.id);
    expect(byUnit.sort()).toEqual([led, co].sort());
    expect((await list('source=petition').expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual([
      registered.body.id,
    ]);
    expect((await list('escalationLevel=2').expect(200)).body.items.map((i: { id: string }) => i.id)).toEqual([led]);
    expect((await list('overdue=true').expect(200)).body.items).toEqual([]);
    expect((await list('overdue=false').expect(200)).body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('searches title and description in Chinese (trigram full text)', async () => {
    const res = await api
      .as('registrar')
      .post('/api/v1/issues')
      .send(issueBody({ title: '农村饮水工程水质浑浊', description: '村民反映自来水发黄' }))
      .expect(201);
    remember(res.body.position);
    expect(
      (await list(`q=${encodeURIComponent('水质浑浊')}`).expect(200)).body.items.map((i: { id: string }) => i.id),
    ).toEqual([res.body.id]);
    expect(
      (await list(`q=${encodeURIComponent('自来水')}`).expect(200)).body.items.map((i: { id: string }) => i.id),
    ).toEqual([res.body.id]);
    expect((await list(`q=${encodeURIComponent('不存在的内容')}`).expect(200)).body.items).toEqual([]);
    await list('q=ab').expect(400);

    // full text within a unit: the unit's own issues only, whether asked for or the caller's scope
    const inUnit = (role: 'registrar' | 'unit_officer', unit: string) =>
      list(`q=${encodeURIComponent('水质浑浊')}${role === 'registrar' ? `&unitId=${unit}` : ''}`, role, unit)
        .expect(200)
        .then((r) => r.body.items.map((i: { id: string }) => i.id));
    expect(await inUnit('registrar', unitB)).toEqual([]);
    const assigned = await api
      .as('registrar')
      .post(`/api/v1/issues/${res.body.id}/assign`)
      .send({
        leadUnitId: unitB,
        coUnitIds: [],
        responsiblePerson: { name: '王五', title: '科长' },
        deadline: future(10),
        mode: 'counterpart',
      })
      .expect(200);
    remember(assigned.body.position);
    expect(await inUnit('registrar', unitB)).toEqual([res.body.id]);
    expect(await inUnit('unit_officer', unitB)).toEqual([res.body.id]);
    expect(await inUnit('unit_officer', unitA)).toEqual([]);
  });

  it('pages with a cursor, with no duplicate and no gap while writes go on', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await api
        .as('registrar')
        .post('/api/v1/issues')
        .send(issueBody({ category: '分页测试', title: `分页 ${i}` }))
        .expect(201);
      ids.push(r.body.id);
      remember(r.body.position);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } = await list(
        `category=${encodeURIComponent('分页测试')}&limit=3&sort=registeredAt${cursor ? `&cursor=${cursor}` : ''}`,
      ).expect(200);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
      // a write between pages must not shift what comes next
      await api
        .as('registrar')
        .post('/api/v1/issues')
        .send(issueBody({ category: '另一类' }))
        .expect(201);
    } while (cursor);
    expect(seen).toEqual(ids);
    await list('cursor=not-a-cursor').expect(400);
  });

  it("a unit officer lists only their unit's issues and never sees a confidential reporter", async () => {
    const mine = await assignedIssue(api, unitB);
    void mine;
    await barrier();
    const res = await api.as('unit_officer', unitB).get(`/api/v1/issues?minPosition=${head}`).expect(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    for (const item of res.body.items) {
      expect([item.leadUnitId, ...item.coUnitIds]).toContain(unitB);
      expect(item.reporter).toEqual({ confidential: true });
    }
    await api.as('unit_officer', unitB).get(`/api/v1/issues?unitId=${unitA}`).expect(403);
  });

  it('derives overdue against the current time', async () => {
    const deadline = future(0.00002); // ~2 s ahead
    const fresh = await api
      .as('registrar')
      .post('/api/v1/issues')
      .send(issueBody({ title: '即将逾期' }))
      .expect(201);
    const assigned = await api
      .as('registrar')
      .post(`/api/v1/issues/${fresh.body.id}/assign`)
      .send({ leadUnitId: unitA, responsiblePerson: { name: 'n' }, deadline, mode: 'leader' })
      .expect(200);
    remember(assigned.body.position);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await list('overdue=true').expect(200)).body.items.map((i: { id: string }) => i.id)).toContain(
      fresh.body.id,
    );
    expect((await api.as('registrar').get(`/api/v1/issues/${fresh.body.id}`)).body.overdue).toBe(true);
  });
});
