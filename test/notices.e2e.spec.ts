import { randomUUID } from 'node:crypto';
import { startTestApi, TestApi } from './support/api';
import { createUnit, registerIssue } from './support/fixtures';
import { logHead } from './support/log-head';
import type { TestRole } from './support/tokens';

/** 通报 over HTTP: drafted and published by the office, read by each role as its scope allows. */
describe('notices (通报)', () => {
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  let issueId: string;
  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'NA1', '市住建局');
    unitB = await createUnit(api, 'NB1', '市城管局');
    issueId = await registerIssue(api);
  });
  afterAll(async () => api.close());

  const body = (overrides: Record<string, unknown> = {}) => ({
    kind: 'criticism',
    title: '关于市住建局推诿扯皮问题的通报',
    body: '经查，市住建局在办理群众反映问题中存在推诿扯皮现象，现予通报批评。',
    unitIds: [unitA],
    issueIds: [issueId],
    ...overrides,
  });
  const create = async (overrides: Record<string, unknown> = {}) => {
    const res = await api.as('registrar').post('/api/v1/notices').send(body(overrides));
    expect(res.status).toBe(201);
    return res.body as { id: string; revision: number; position: number };
  };
  const publish = (id: string) => api.as('registrar').post(`/api/v1/notices/${id}/publish`).send({});
  const list = async (role: TestRole, unitId?: string, position = 0) => {
    const res = await api.as(role, unitId).get(`/api/v1/notices?minPosition=${position}&limit=1000`).expect(200);
    return res.body.items as { id: string; published: boolean; unitIds: string[] }[];
  };

  it('a registrar drafts a notice (201 {id, revision, position}) and publishes it once (200)', async () => {
    const created = await create();
    expect(created).toEqual({ id: expect.any(String), revision: 0, position: expect.any(Number) });
    const draft = await api.as('registrar').get(`/api/v1/notices/${created.id}`).expect(200);
    expect(draft.body).toMatchObject({ kind: 'criticism', unitIds: [unitA], issueIds: [issueId], published: false });
    const published = await publish(created.id).expect(200);
    expect(published.body).toMatchObject({ id: created.id, revision: 1 });
    const after = await api.as('registrar').get(`/api/v1/notices/${created.id}`).expect(200);
    expect(after.body).toMatchObject({ status: 'published', published: true, publishedAt: expect.any(String) });
  });

  it("a published notice goes to the inbox of each unit it names, and a draft to no one's", async () => {
    const draft = await create({ title: '未发布的通报', unitIds: [unitA, unitB] });
    const { id } = await create({ title: '发给两个单位的通报', unitIds: [unitA, unitB] });
    const { position } = (await publish(id).expect(200)).body;
    const inboxOf = async (unitId: string) =>
      (await api.as('unit_officer', unitId).get(`/api/v1/inbox?minPosition=${position}&limit=500`).expect(200)).body
        .items as { kind: string; issueId: string; title: string; body: string }[];
    for (const unitId of [unitA, unitB]) {
      const items = await inboxOf(unitId);
      expect(items.filter((n) => n.issueId === id)).toEqual([
        expect.objectContaining({
          kind: 'notice',
          title: '发给两个单位的通报',
          body: expect.stringMatching(/^通报批评：/),
        }),
      ]);
      expect(items.filter((n) => n.issueId === draft.id)).toEqual([]);
    }
  });

  it('a second publication is 409 naming the state, and appends nothing', async () => {
    const { id } = await create();
    await publish(id).expect(200);
    const head = await logHead(api);
    const again = await publish(id).expect(409);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
    expect(again.body).toMatchObject({ code: 'illegal_transition', state: 'published', command: 'PublishNotice' });
    expect(await logHead(api)).toBe(head);
  });

  it('lists by role: the office sees drafts, a unit officer only published notices naming their unit', async () => {
    const draftA = await create({ title: '草稿通报' });
    const publishedA = await create({ kind: 'commendation', title: '表扬通报' });
    const publishedB = await create({ kind: 'information', title: '情况通报', unitIds: [unitB], issueIds: [] });
    await publish(publishedA.id).expect(200);
    const last = await publish(publishedB.id).expect(200);
    const at = last.body.position as number;
    for (const role of ['registrar', 'admin', 'auditor', 'assessor'] as const) {
      const ids = (await list(role, undefined, at)).map((n) => n.id);
      expect({ role, ids: [draftA.id, publishedA.id, publishedB.id].filter((id) => ids.includes(id)) }).toEqual({
        role,
        ids: [draftA.id, publishedA.id, publishedB.id],
      });
    }
    const officerA = await list('unit_officer', unitA, at);
    expect(officerA.map((n) => n.id)).toContain(publishedA.id);
    expect(officerA.map((n) => n.id)).not.toContain(publishedB.id);
    expect(officerA.map((n) => n.id)).not.toContain(draftA.id);
    expect(officerA.every((n) => n.published && n.unitIds.includes(unitA))).toBe(true);
    // a filter for another unit does not widen a unit officer's scope
    const widened = await api.as('unit_officer', unitA).get(`/api/v1/notices?unitId=${unitB}`).expect(200);
    expect(widened.body.items.map((n: { id: string }) => n.id)).not.toContain(publishedB.id);
    // a draft, or another unit's notice, is unknown to a unit officer
    await api.as('unit_officer', unitA).get(`/api/v1/notices/${draftA.id}`).expect(404);
    await api.as('unit_officer', unitA).get(`/api/v1/notices/${publishedB.id}`).expect(404);
    await api.as('unit_officer', unitA).get(`/api/v1/notices/${publishedA.id}`).expect(200);
  });

  it('pages newest first with a cursor: one at a time, the pages add up to the whole list', async () => {
    await create({ title: '分页一' });
    const { position } = await create({ title: '分页二' });
    const whole = await api.as('registrar').get(`/api/v1/notices?limit=1000&minPosition=${position}`).expect(200);
    const paged: { id: string; createdAt: string }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page = await api.as('registrar').get(`/api/v1/notices?limit=1${query}`).expect(200);
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      paged.push(...page.body.items);
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(paged.map((n) => n.id)).toEqual(whole.body.items.map((n: { id: string }) => n.id));
    const times = paged.map((n) => n.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    await api.as('registrar').get('/api/v1/notices?cursor=not-ours').expect(400);
  });

  it('/stats counts published notices in the window (noticesIssued) and the distinct units criticised (unitsNotified)', async () => {
    const from = new Date().toISOString();
    const stats = async (query: string) =>
      (await api.as('auditor').get(`/api/v1/stats?${query}`).expect(200)).body as {
        noticesIssued: number;
        unitsNotified: number;
      };
    const criticismA = await create({ unitIds: [unitA, unitB] });
    const criticismB = await create({ unitIds: [unitB] });
    const praise = await create({ kind: 'commendation', unitIds: [unitA] });
    await create({ title: '未发布' });
    for (const n of [criticismA, criticismB]) await publish(n.id).expect(200);
    const { position } = (await publish(praise.id).expect(200)).body;
    expect(await stats(`from=${from}&minPosition=${position}`)).toMatchObject({ noticesIssued: 3, unitsNotified: 2 });
    expect(await stats(`from=${from}&unitId=${unitB}`)).toMatchObject({ noticesIssued: 2, unitsNotified: 1 });
    expect(await stats(`from=${new Date(Date.now() + 60_000).toISOString()}`)).toMatchObject({
      noticesIssued: 0,
      unitsNotified: 0,
    });
  });

  describe('refusals append nothing', () => {
    it.each([
      ['unitIds[1]', () => body({ unitIds: [unitA, randomUUID()] })],
      ['issueIds[0]', () => body({ issueIds: [randomUUID()] })],
    ])('a %s that names nothing is 400 naming the field', async (field, make) => {
      const head = await logHead(api);
      const res = await api.as('registrar').post('/api/v1/notices').send(make()).expect(400);
      expect(res.body.errors).toEqual([{ field, messages: [expect.stringMatching(/^no (unit|issue) /)] }]);
      expect(await logHead(api)).toBe(head);
    });

    it.each([
      ['kind', { kind: 'praise' }],
      ['title', { title: '' }],
      ['unitIds', { unitIds: [] }],
      ['unitIds', { unitIds: ['not-a-uuid'] }],
    ])('a bad %s is 400 naming it', async (field, overrides) => {
      const head = await logHead(api);
      const res = await api.as('registrar').post('/api/v1/notices').send(body(overrides)).expect(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await logHead(api)).toBe(head);
    });

    it.each(['unit_officer', 'assessor', 'auditor'] as const)('%s may not draft or publish (403)', async (role) => {
      const { id } = await create();
      const head = await logHead(api);
      const as = api.as(role, role === 'unit_officer' ? unitA : undefined);
      await as.post('/api/v1/notices').send(body()).expect(403);
      await as.post(`/api/v1/notices/${id}/publish`).send({}).expect(403);
      expect(await logHead(api)).toBe(head);
    });

    it('publishing a notice that does not exist is 404, whatever the shape of its id', async () => {
      const head = await logHead(api);
      await publish(randomUUID()).expect(404);
      await publish('not-a-uuid').expect(404);
      await api.as('registrar').get('/api/v1/notices/not-a-uuid').expect(404);
      await api.as('registrar').get(`/api/v1/notices/${randomUUID()}`).expect(404);
      expect(await logHead(api)).toBe(head);
    });
  });
});
