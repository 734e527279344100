import { startTestApi, TestApi } from './support/api';
import { createUnit, registerIssue } from './support/fixtures';
import { logHead } from './support/log-head';

const MEETING = { date: '2026-03-02', name: '集中交办会', presidedBy: { name: '张三', title: '市委副书记' } };

/** 交办会, 立行立改 and the intake filters: bad input named, roles refused with nothing appended, retries idempotent. */
describe('assignment batches, resolution on the spot and the intake filters', () => {
  let api: TestApi;
  let unit: string;
  beforeAll(async () => {
    api = await startTestApi();
    unit = await createUnit(api, 'AB1');
  });
  afterAll(async () => api.close());

  const item = (issueId: string, extra: object = {}) => ({
    issueId,
    leadUnitId: unit,
    responsiblePerson: { name: '王五' },
    deadlineWorkingDays: 10,
    mode: 'leader',
    ...extra,
  });
  const batch = (items: unknown[], meeting: object = MEETING) =>
    api.as('registrar').post('/api/v1/assignment-batches').send({ meeting, items });
  const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

  describe('POST /assignment-batches', () => {
    it('names each bad field of the envelope with 400, appending nothing', async () => {
      const head = await logHead(api);
      const noMeeting = await api
        .as('registrar')
        .post('/api/v1/assignment-batches')
        .send({ items: [item(unit)] });
      expect(noMeeting.status).toBe(400);
      expect(noMeeting.headers['content-type']).toMatch(/problem\+json/);
      expect(fields(noMeeting.body)).toContain('meeting');
      const badMeeting = await batch([item(unit)], { date: '2 March', presidedBy: { name: '' } });
      expect(badMeeting.status).toBe(400);
      expect(fields(badMeeting.body)).toEqual(
        expect.arrayContaining(['meeting.date', 'meeting.presidedBy.name', 'meeting.presidedBy.title']),
      );
      expect(fields((await batch([])).body)).toContain('items');
      expect(fields((await batch(['not an item', 3])).body)).toContain('items');
      const unknown = await api
        .as('registrar')
        .post('/api/v1/assignment-batches')
        .send({ meeting: MEETING, items: [item(unit)], extra: 1 });
      expect(unknown.status).toBe(400);
      expect(await logHead(api)).toBe(head);
    });

    it('refuses more than 1,000 items whole with 413 (and 5,000 too), appending nothing', async () => {
      const id = await registerIssue(api);
      const head = await logHead(api);
      for (const n of [1001, 5000]) {
        const res = await batch(Array.from({ length: n }, () => item(id)));
        expect(res.status).toBe(413);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
      }
      expect(await logHead(api)).toBe(head);
      const issue = (await api.as('registrar').get(`/api/v1/issues/${id}`).expect(200)).body;
      expect(issue.status).toBe('registered');
    });

    it.each(['unit_officer', 'assessor', 'auditor', 'supervisor'] as const)(
      'is forbidden to %s: 403 and nothing appended',
      async (role) => {
        const id = await registerIssue(api);
        const head = await logHead(api);
        const res = await api
          .as(role, role === 'unit_officer' ? unit : undefined)
          .post('/api/v1/assignment-batches')
          .send({ meeting: MEETING, items: [item(id)] });
        expect(res.status).toBe(403);
        expect(await logHead(api)).toBe(head);
      },
    );

    it('answers each item on its own: 200, 400 naming the item field, 404, 409 naming the state', async () => {
      const [a, b, c] = [await registerIssue(api), await registerIssue(api), await registerIssue(api)];
      const res = await batch([
        item(a, { partnerAgencies: ['市信访局'], mode: 'joint' }),
        item(b, { deadlineWorkingDays: 0, surplus: true }),
        item('00000000-0000-4000-8000-000000000000'),
        item(a),
        item(c, { leadUnitId: '11111111-1111-4111-8111-111111111111' }),
        item(c, { deadline: '2020-01-01T00:00:00Z', deadlineWorkingDays: undefined }),
      ]);
      expect(res.status).toBe(201);
      const results = res.body.results as { issueId: string; status: number; revision?: number; problem?: never }[];
      expect(results.map((r) => r.status)).toEqual([200, 400, 404, 409, 400, 400]);
      expect(results[0]).toMatchObject({ issueId: a, revision: 1 });
      expect(fields(results[1].problem!)).toEqual(
        expect.arrayContaining(['items[1].deadlineWorkingDays', 'items[1].surplus']),
      );
      expect(results[3].problem).toMatchObject({ state: 'assigned' });
      expect(fields(results[4].problem!)).toEqual(['leadUnitId']);
      expect(fields(results[5].problem!)).toEqual(['deadline']);
      const issue = (await api.as('registrar').get(`/api/v1/issues/${a}`).expect(200)).body;
      expect(issue).toMatchObject({
        status: 'assigned',
        partnerAgencies: ['市信访局'],
        assignmentBatch: { batchId: res.body.batchId, meeting: MEETING },
      });
      expect((await api.as('registrar').get(`/api/v1/issues/${b}`).expect(200)).body.status).toBe('registered');
    });

    it('a retry under the same Idempotency-Key answers the same results and appends nothing', async () => {
      const ids = [await registerIssue(api), await registerIssue(api)];
      const send = () =>
        api
          .as('registrar')
          .post('/api/v1/assignment-batches')
          .set('Idempotency-Key', 'meeting-2026-03-02')
          .send({ meeting: MEETING, items: ids.map((id) => item(id)) });
      const first = await send();
      expect(first.status).toBe(201);
      const head = await logHead(api);
      const again = await send();
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      expect(await logHead(api)).toBe(head);
    });

    it('applies many issues at once yet one issue’s items in order, answering in the request’s order', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push(await registerIssue(api));
      // each issue twice, the repeat far behind: the first is applied, the repeat finds it assigned
      const items = [...ids, ...ids].map((id, k) => item(id, { deadlineWorkingDays: k < ids.length ? 10 : 20 }));
      const send = () =>
        api
          .as('registrar')
          .post('/api/v1/assignment-batches')
          .set('Idempotency-Key', 'meeting-2026-03-03')
          .send({ meeting: MEETING, items });
      const first = await send();
      expect(first.status).toBe(201);
      const results = first.body.results as { issueId: string; status: number; revision?: number }[];
      expect(results.map((r) => r.issueId)).toEqual([...ids, ...ids]);
      expect(results.map((r) => r.status)).toEqual([...ids.map(() => 200), ...ids.map(() => 409)]);
      expect(results.slice(0, ids.length).every((r) => r.revision === 1)).toBe(true);
      const head = await logHead(api);
      const again = await send();
      expect(again.body).toEqual(first.body);
      expect(await logHead(api)).toBe(head);
    });

    it('the 责任账 shows the meeting and the partner agencies', async () => {
      const id = await registerIssue(api);
      await batch([item(id, { partnerAgencies: ['市审计局'], mode: 'joint' })]).expect(201);
      const ledger = await api.as('registrar').get('/api/v1/ledgers/responsibilities.csv').expect(200);
      expect(ledger.text).toContain('市审计局');
      expect(ledger.text).toContain('2026-03-02 集中交办会 市委副书记张三');
    });
  });

  describe('POST /issues/:id/resolve-on-spot', () => {
    it('closes a registered issue with resolution on_spot', async () => {
      const id = await registerIssue(api);
      const res = await api
        .as('registrar')
        .post(`/api/v1/issues/${id}/resolve-on-spot`)
        .send({ summary: '当场整改', evidence: ['photo-1'] })
        .expect(200);
      expect(res.body.revision).toBe(1);
      const issue = (await api.as('registrar').get(`/api/v1/issues/${id}`).expect(200)).body;
      expect(issue).toMatchObject({ status: 'closed', resolution: 'on_spot', onSpot: { summary: '当场整改' } });
    });
    it('names a bad field with 400 and appends nothing', async () => {
      const id = await registerIssue(api);
      const head = await logHead(api);
      const res = await api
        .as('registrar')
        .post(`/api/v1/issues/${id}/resolve-on-spot`)
        .send({ summary: '', evidence: 'x' });
      expect(res.status).toBe(400);
      expect(fields(res.body)).toEqual(expect.arrayContaining(['summary', 'evidence']));
      expect(await logHead(api)).toBe(head);
    });
    it('refuses an assigned issue with 409 naming its state', async () => {
      const id = await registerIssue(api);
      await batch([item(id)]).expect(201);
      const res = await api.as('registrar').post(`/api/v1/issues/${id}/resolve-on-spot`).send({ summary: '当场整改' });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ state: 'assigned', command: 'ResolveOnSpot' });
      expect(res.body.detail).toMatch(/cannot resolve on the spot an issue that is assigned/);
    });
    it('is forbidden to a unit officer: 403, nothing appended', async () => {
      const id = await registerIssue(api);
      const head = await logHead(api);
      const res = await api
        .as('unit_officer', unit)
        .post(`/api/v1/issues/${id}/resolve-on-spot`)
        .send({ summary: 's' });
      expect(res.status).toBe(403);
      expect(await logHead(api)).toBe(head);
    });
  });

  describe('GET /issues intake filters', () => {
    it('filters on kind, backlog, reference, accused unit or name, a leader’s instruction and the new sources', async () => {
      const about = await createUnit(api, 'AB2', '某街道办事处');
      const suggestion = await registerIssue(api, { kind: 'suggestion', source: 'survey' });
      const backlog = await registerIssue(api, { backlog: true, reference: '12345-2026-000777', source: 'media' });
      const accusedUnit = await registerIssue(api, { accused: { unitId: about, person: '王某某' } });
      const accusedName = await registerIssue(api, { accused: { name: '城关街道办事处' } });
      const forwarded = await registerIssue(api, { forwardedBy: { name: '市长', instruction: '限期办结' } });
      const list = async (query: string) =>
        (
          (await api.as('registrar').get(`/api/v1/issues?${query}&limit=200`).expect(200)).body.items as {
            id: string;
          }[]
        ).map((i) => i.id);
      expect(await list('kind=suggestion')).toEqual([suggestion]);
      expect(await list('backlog=true')).toEqual([backlog]);
      expect(await list('reference=12345-2026-000777')).toEqual([backlog]);
      expect(await list(`accusedUnitId=${about}`)).toEqual([accusedUnit]);
      expect(await list(`accused=${encodeURIComponent('王某')}`)).toEqual([accusedUnit]);
      expect(await list(`accused=${encodeURIComponent('城关')}`)).toEqual([accusedName]);
      expect(await list('forwarded=true')).toEqual([forwarded]);
      expect(await list('source=media')).toEqual([backlog]);
      expect(await list('source=survey')).toEqual([suggestion]);
      expect(await list('forwarded=false')).not.toContain(forwarded);
      expect(await list('kind=problem')).not.toContain(suggestion);
    });
    it.each([
      ['kind=idea', 'kind'],
      ['backlog=yes', 'backlog'],
      ['forwarded=1', 'forwarded'],
      ['accusedUnitId=abc', 'accusedUnitId'],
      [`reference=${'x'.repeat(101)}`, 'reference'],
      ['accused=', 'accused'],
    ])('%s is 400 naming %s', async (query, field) => {
      const res = await api.as('registrar').get(`/api/v1/issues?${query}`);
      expect(res.status).toBe(400);
      expect(fields(res.body)).toContain(field);
    });
  });

  it('/stats refuses an unknown basis naming it', async () => {
    const res = await api.as('auditor').get('/api/v1/stats?basis=calendar');
    expect(res.status).toBe(400);
    expect(fields(res.body)).toContain('basis');
  });
});
