import { startTestApi, TestApi } from './support/api';
import { createUnit, future, issueBody } from './support/fixtures';

/** A small version of the seeds' figures (Baoji: "880 assigned, 625 results reported …"), checked exactly. */
describe('GET /stats', () => {
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  let position = 0;
  /** an instant before the first issue of this file */
  let beforeTheIssues = '';
  const track = <T extends { body: { position: number } }>(res: T): T => {
    position = Math.max(position, res.body.position);
    return res;
  };
  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'SA');
    unitB = await createUnit(api, 'SB');
    beforeTheIssues = new Date().toISOString();
  });
  afterAll(async () => api.close());

  const post = async (role: Parameters<TestApi['as']>[0], path: string, body: object, unit?: string, status = 200) =>
    track(await api.as(role, unit).post(`/api/v1${path}`).send(body).expect(status));

  async function issue(
    source: string,
    unit: string | null,
    steps: ('result' | 'satisfied' | 'basically' | 'unsatisfied' | 'close' | 'withdraw' | 'escalate3')[] = [],
  ) {
    const id = (await post('registrar', '/issues', issueBody({ source }), undefined, 201)).body.id as string;
    if (unit)
      await post('registrar', `/issues/${id}/assign`, {
        leadUnitId: unit,
        responsiblePerson: { name: '责任人' },
        deadline: future(10),
        mode: 'counterpart',
      });
    for (const step of steps) {
      if (step === 'result') await post('unit_officer', `/issues/${id}/result`, { summary: '已整改' }, unit!);
      if (step === 'satisfied') await post('assessor', `/issues/${id}/assessments`, { verdict: 'satisfied' });
      if (step === 'basically') await post('assessor', `/issues/${id}/assessments`, { verdict: 'basically_satisfied' });
      if (step === 'unsatisfied')
        await post('assessor', `/issues/${id}/assessments`, { verdict: 'unsatisfied', newDeadline: future(20) });
      if (step === 'close') await post('registrar', `/issues/${id}/close`, { note: '销号' });
      if (step === 'withdraw') await post('registrar', `/issues/${id}/withdraw`, { reason: '重复件' });
      if (step === 'escalate3') await post('registrar', `/issues/${id}/escalations`, { level: 3, reason: '约谈' });
    }
    return id;
  }

  it('counts by status and source, ever assigned and ever reported, closures, rates and escalations', async () => {
    await issue('petition', unitA, ['result', 'satisfied', 'close']);
    await issue('petition', unitA, ['result', 'basically', 'close']);
    await issue('hotline', unitB, ['result', 'unsatisfied']);
    await issue('undercover_visit', unitB, ['result']);
    await issue('undercover_visit', unitB, ['escalate3']);
    await issue('hotline', unitA);
    await issue('hotline', null, ['withdraw']);
    await issue('audit', null);

    const stats = (await api.as('auditor').get(`/api/v1/stats?minPosition=${position}`).expect(200)).body;
    expect(stats).toMatchObject({
      total: 8,
      assigned: 6,
      resultReported: 4,
      closed: 2,
      withdrawn: 1,
      overdue: 0,
      onTimeRate: 1,
      satisfaction: { satisfied: 1, basically_satisfied: 1, unsatisfied: 1 },
      escalationsByLevel: { '1': 1, '2': 1, '3': 1, '4': 0 },
    });
    expect(stats.byStatus).toMatchObject({
      closed: 2,
      reopened: 1,
      result_reported: 1,
      assigned: 2,
      withdrawn: 1,
      registered: 1,
      triaged: 0,
    });
    expect(stats.bySource).toMatchObject({ petition: 2, hotline: 3, undercover_visit: 2, audit: 1, online: 0 });
    expect(stats.byUnit).toEqual({ [unitA]: 3, [unitB]: 3 });
    expect(stats.satisfactionRate).toBeCloseTo(2 / 3);
    expect(typeof stats.averageDaysToClose).toBe('number');

    const unitStats = (await api.as('unit_officer', unitB).get('/api/v1/stats').expect(200)).body;
    expect(unitStats).toMatchObject({ total: 3, assigned: 3, resultReported: 2, closed: 0 });
    await api.as('unit_officer', unitB).get(`/api/v1/stats?unitId=${unitA}`).expect(403);
    expect((await api.as('registrar').get('/api/v1/stats?source=petition').expect(200)).body).toMatchObject({
      total: 2,
      closed: 2,
    });
    expect(
      (
        await api
          .as('registrar')
          .get(`/api/v1/stats?from=${encodeURIComponent(future(1))}`)
          .expect(200)
      ).body.total,
    ).toBe(0);
    await api.as('registrar').get('/api/v1/stats?from=yesterday').expect(400);
  });

  it("answers the same from the projection's counters as from the issue rows, reassignments included", async () => {
    const moved = await issue('online', unitA);
    await post('registrar', `/issues/${moved}/reassign`, {
      leadUnitId: unitB,
      responsiblePerson: { name: '责任人' },
      deadline: future(10),
      mode: 'counterpart',
      reason: '职责调整',
    });
    const read = async (role: Parameters<TestApi['as']>[0], query: string, unit?: string) =>
      (await api.as(role, unit).get(`/api/v1/stats?minPosition=${position}${query}`).expect(200)).body;
    // a `from` off the agency's midnight counts the window's first hours from the issue rows, the rest from the sums
    const everything = `&from=${encodeURIComponent('2000-01-01T00:00:00Z')}`;
    const cases: [Parameters<TestApi['as']>[0], string, string?][] = [
      ['auditor', ''],
      ['unit_officer', '', unitA],
      ['unit_officer', '', unitB],
      ['registrar', '&source=petition'],
      ['registrar', `&unitId=${unitB}&source=online`],
    ];
    // a window ending past the log reads the whole sums ('all'): the same as its months, days and edge hours
    const pastTheLog = `&to=${encodeURIComponent('2100-01-01T00:00:00Z')}`;
    // an edge longer than the rest of its agency day is read as the whole day less that rest: a window just before
    // or just after the issues counts none of them, though its day's sums hold them (whichever half of the day it is)
    const afterTheIssues = new Date(Date.now() + 1).toISOString();
    const window = (from?: string, to?: string) =>
      `${from ? `&from=${encodeURIComponent(from)}` : ''}${to ? `&to=${encodeURIComponent(to)}` : ''}`;
    const nothing = window('2000-01-01T00:00:00Z', '2000-01-02T00:00:00Z');
    for (const [role, query, unit] of cases) {
      expect(await read(role, query, unit)).toEqual(await read(role, query + everything, unit));
      for (const basis of ['', '&basis=event']) {
        expect(await read(role, query + basis + pastTheLog, unit)).toEqual(
          await read(role, query + basis + everything + pastTheLog, unit),
        );
        const none = await read(role, query + basis + nothing, unit);
        expect(await read(role, query + basis + window(afterTheIssues), unit)).toEqual(none);
        expect(await read(role, query + basis + window(undefined, beforeTheIssues), unit)).toEqual(none);
        expect(await read(role, query + basis + window(beforeTheIssues, afterTheIssues), unit)).toEqual(
          await read(role, query + basis, unit),
        );
      }
    }
    expect((await read('auditor', '')).byUnit).toEqual({ [unitA]: 3, [unitB]: 4 });
    expect((await read('unit_officer', '', unitA)).total).toBe(3);
  });

  it('counts an issue overdue once its deadline has passed, though nothing else happened since the last answer', async () => {
    const unit = await createUnit(api, 'SC');
    const id = (await post('registrar', '/issues', issueBody({ source: 'online' }), undefined, 201)).body.id as string;
    const deadline = new Date(Date.now() + 8_000).toISOString();
    await post('registrar', `/issues/${id}/assign`, {
      leadUnitId: unit,
      responsiblePerson: { name: '责任人' },
      deadline,
      mode: 'counterpart',
    });
    const overdue = async () =>
      (await api.as('unit_officer', unit).get(`/api/v1/stats?minPosition=${position}`).expect(200)).body.overdue;
    // every issue, and a window reaching past every registration: counted from the open issues by deadline alone
    const everywhere = async (query: string) =>
      (await api.as('auditor').get(`/api/v1/stats?minPosition=${position}${query}`).expect(200)).body.overdue;
    const past = '&to=2100-01-01T00:00:00.000Z';
    const before = await everywhere('');
    expect(await everywhere(past)).toBe(before);
    expect(await overdue()).toBe(0);
    await new Promise((r) => setTimeout(r, Date.parse(deadline) - Date.now() + 50));
    expect(await overdue()).toBe(1);
    expect(await everywhere('')).toBe(before + 1);
    expect(await everywhere(past)).toBe(before + 1);
  });
});
