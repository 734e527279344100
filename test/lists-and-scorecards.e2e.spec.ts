import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, future } from './support/fixtures';

describe('red and black lists (红黑榜) and unit scorecards', () => {
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  let good: string;
  let bad: string;
  let head = 0;
  const at = <T extends { body: { position: number } }>(res: T) => ((head = Math.max(head, res.body.position)), res);
  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'LS-A', '市住建局');
    unitB = await createUnit(api, 'LS-B', '市交通局');
    good = await assignedIssue(api, unitA, 10, [unitB]);
    await api.as('unit_officer', unitA).post(`/api/v1/issues/${good}/result`).send({ summary: '提前完成' }).expect(200);
    await api.as('assessor').post(`/api/v1/issues/${good}/assessments`).send({ verdict: 'satisfied' }).expect(200);
    at(await api.as('registrar').post(`/api/v1/issues/${good}/close`).send({}).expect(200));
    bad = await assignedIssue(api, unitB);
    at(
      await api
        .as('registrar')
        .post(`/api/v1/issues/${bad}/escalations`)
        .send({ level: 3, reason: '约谈负责人' })
        .expect(200),
    );
    at(
      await api
        .as('registrar')
        .post(`/api/v1/issues/${bad}/accountability`)
        .send({ measure: 'criticism_notice', target: { kind: 'unit', unitId: unitB }, reason: '推诿扯皮' })
        .expect(200),
    );
    void future;
  });
  afterAll(async () => api.close());

  it('proposes candidates with their reasons, then lists what the registrar publishes', async () => {
    const candidates = (await api.as('auditor').get(`/api/v1/lists/candidates?minPosition=${head}`).expect(200)).body;
    expect(candidates.red).toEqual([
      expect.objectContaining({ issueId: good, reason: expect.stringMatching(/before its deadline/) }),
    ]);
    expect(candidates.black).toEqual([
      expect.objectContaining({ issueId: bad, reason: expect.stringMatching(/level 3/) }),
    ]);
    at(
      await api
        .as('registrar')
        .post(`/api/v1/issues/${good}/lists`)
        .send({ list: 'red', reason: '提前办结，群众满意' })
        .expect(200),
    );
    at(
      await api
        .as('registrar')
        .post(`/api/v1/issues/${bad}/lists`)
        .send({ list: 'black', reason: '推诿扯皮' })
        .expect(200),
    );
    expect((await api.as('auditor').get(`/api/v1/lists/red?minPosition=${head}`).expect(200)).body.items).toEqual([
      expect.objectContaining({ issueId: good, reason: '提前办结，群众满意' }),
    ]);
    expect((await api.as('auditor').get('/api/v1/lists/black').expect(200)).body.items).toEqual([
      expect.objectContaining({ issueId: bad }),
    ]);
    const after = (await api.as('auditor').get('/api/v1/lists/candidates').expect(200)).body;
    expect(after).toEqual({ red: [], black: [], revisit: [] });
  });

  it("shows a unit's scorecard", async () => {
    const a = (await api.as('registrar').get(`/api/v1/units/${unitA}/scorecard?minPosition=${head}`).expect(200)).body;
    expect(a).toMatchObject({
      led: 1,
      coHandled: 0,
      closed: 1,
      onTimeRate: 1,
      satisfaction: { satisfied: 1 },
      satisfactionRate: 1,
    });
    const b = (await api.as('registrar').get(`/api/v1/units/${unitB}/scorecard`).expect(200)).body;
    expect(b).toMatchObject({
      led: 1,
      coHandled: 1,
      open: 1,
      closed: 0,
      onTimeRate: null,
      escalationsByLevel: { '1': 1, '2': 1, '3': 1, '4': 0 },
    });
    expect(b.accountability).toEqual([expect.objectContaining({ issueId: bad, measure: 'criticism_notice' })]);
    await api.as('registrar').get('/api/v1/units/00000000-0000-4000-8000-000000000000/scorecard').expect(404);
  });

  it("fills each unit's inbox with its assignments and escalations", async () => {
    const inboxB = (await api.as('unit_officer', unitB).get(`/api/v1/inbox?minPosition=${head}`).expect(200)).body
      .items;
    expect(inboxB.map((n: { kind: string }) => n.kind)).toEqual(['assigned', 'assigned', 'escalation_3']);
    expect(inboxB[2]).toMatchObject({ issueId: bad, body: expect.stringContaining('约谈') });
    await api.as('unit_officer', unitB).get(`/api/v1/inbox?unitId=${unitA}`).expect(403);
    const inboxA = (await api.as('registrar').get(`/api/v1/inbox?unitId=${unitA}`).expect(200)).body.items;
    expect(inboxA).toEqual([expect.objectContaining({ kind: 'assigned', issueId: good })]);
  });
});
