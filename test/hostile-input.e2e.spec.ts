import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, future, issueBody } from './support/fixtures';

/**
 * Malformed, oversized, wrong-type, unknown-field and hostile bodies against every POST: all 4xx
 * (problem+json, naming the bad fields for 400), never 5xx, and nothing appended.
 */
describe('bad input never yields a 5xx and never appends', () => {
  let api: TestApi;
  let unit: string;
  let issueId: string;
  let campaignId: string;
  const campaign = () => ({
    name: '民主评议',
    year: 2026,
    unitIds: [unit],
    criteria: [{ key: 'attitude', name: '服务态度', weight: 1 }],
    scale: { min: 0, max: 100 },
    groups: [{ key: 'public', name: '群众', weight: 1 }],
    rounds: [{ key: 'r1', name: '一轮' }],
    bottomN: 1,
  });
  beforeAll(async () => {
    api = await startTestApi({ BODY_LIMIT_BYTES: String(256 * 1024) });
    unit = await createUnit(api, 'H01');
    issueId = await assignedIssue(api, unit);
    campaignId = (await api.as('registrar').post('/api/v1/appraisals').send(campaign()).expect(201)).body.id;
  });
  afterAll(async () => api.close());

  // `emptyOk`: every field is optional, so `{}` is a valid command there
  const endpoints: { path: () => string; valid: () => Record<string, unknown>; emptyOk?: boolean }[] = [
    {
      path: () => '/api/v1/units',
      valid: () => ({ code: 'X1', name: '单位', head: { name: '赵六' }, contacts: { email: 'a@b.cn' } }),
    },
    { path: () => '/api/v1/issues', valid: () => issueBody() },
    {
      path: () => `/api/v1/issues/${issueId}/triage`,
      valid: () => ({ priority: 'high', category: 'c', note: 'n' }),
      emptyOk: true,
    },
    {
      path: () => `/api/v1/issues/${issueId}/assign`,
      valid: () => ({
        leadUnitId: unit,
        coUnitIds: [unit],
        responsiblePerson: { name: 'n' },
        deadline: future(3),
        mode: 'leader',
      }),
    },
    {
      path: () => `/api/v1/issues/${issueId}/reassign`,
      valid: () => ({
        leadUnitId: unit,
        responsiblePerson: { name: 'n' },
        deadline: future(3),
        mode: 'joint',
        reason: 'r',
      }),
    },
    {
      path: () => `/api/v1/issues/${issueId}/plan`,
      valid: () => ({ measures: [{ description: 'd', owner: 'o', dueDate: future(2) }] }),
    },
    { path: () => `/api/v1/issues/${issueId}/progress`, valid: () => ({ text: 't', percent: 10 }) },
    {
      path: () => `/api/v1/issues/${issueId}/extension-requests`,
      valid: () => ({ newDeadline: future(30), reason: 'r' }),
    },
    {
      path: () => `/api/v1/issues/${issueId}/extension-requests/00000000-0000-4000-8000-000000000000/decision`,
      valid: () => ({ approved: true, note: 'n' }),
    },
    { path: () => `/api/v1/issues/${issueId}/result`, valid: () => ({ summary: 's', evidence: ['e'] }) },
    {
      path: () => `/api/v1/issues/${issueId}/assessments`,
      valid: () => ({ verdict: 'unsatisfied', comment: 'c', newDeadline: future(9) }),
    },
    { path: () => `/api/v1/issues/${issueId}/close`, valid: () => ({ note: 'n' }), emptyOk: true },
    { path: () => `/api/v1/issues/${issueId}/withdraw`, valid: () => ({ reason: 'r' }) },
    { path: () => `/api/v1/issues/${issueId}/escalations`, valid: () => ({ level: 4, reason: 'r' }) },
    {
      path: () => `/api/v1/issues/${issueId}/accountability`,
      valid: () => ({ measure: 'summons', target: { kind: 'unit', unitId: unit }, reason: 'r' }),
    },
    { path: () => `/api/v1/issues/${issueId}/lists`, valid: () => ({ list: 'red', reason: 'r' }) },
    { path: () => '/api/v1/appraisals', valid: campaign },
    {
      path: () => `/api/v1/appraisals/${campaignId}/evaluators`,
      valid: () => ({ group: 'public', name: '张', userId: 'u-1' }),
    },
    { path: () => `/api/v1/appraisals/${campaignId}/ballot-tokens`, valid: () => ({ group: 'public', count: 2 }) },
    {
      path: () => '/api/v1/admin/progress-requests',
      valid: () => ({ month: '2026-11', dueBy: future(3) }),
      emptyOk: true,
    },
  ];

  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  /** values of another JSON type than the field's, hostile objects, and oversized strings */
  const hostileValues: unknown[] = [
    null,
    12,
    -1,
    1e308,
    true,
    'x'.repeat(100_000),
    ['a'],
    { $gt: '' },
    { toString: 'x' },
  ];

  /** each variant of a valid body that must be refused */
  function variants(endpoint: (typeof endpoints)[number]): [string, unknown][] {
    const valid = endpoint.valid();
    const out: [string, unknown][] = [
      ['an unknown field', { ...valid, isAdmin: true }],
      ['a __proto__ key', JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(valid).slice(1, -1)}}`)],
      ['an array instead of an object', [valid]],
      ['a number instead of an object', 42],
    ];
    if (!endpoint.emptyOk) out.push(['an empty object', {}]);
    for (const [key, good] of Object.entries(valid)) {
      for (const value of hostileValues) {
        const oversized = typeof value === 'string' && value.length > 50_000;
        if (kind(value) === kind(good) && !oversized) continue;
        out.push([`${key} = ${JSON.stringify(value)?.slice(0, 30)}`, { ...valid, [key]: value }]);
      }
    }
    return out;
  }

  async function eventCount(): Promise<number> {
    return (await api.as('auditor').get(`/api/v1/issues/${issueId}/history`)).body.events.length;
  }

  it.each(
    endpoints.map(
      (e) =>
        [
          e
            .path()
            .replace(/\/issues\/[^/]+/, '/issues/:id')
            .replace(/[0-9a-f-]{36}/g, ':requestId'),
          e,
        ] as const,
    ),
  )('%s', async (_name, endpoint) => {
    const before = await eventCount();
    const units = (await api.as('admin').get('/api/v1/units')).body.items?.length;
    for (const [label, body] of variants(endpoint)) {
      const raw = typeof body === 'object' && body !== null ? (body as object) : JSON.stringify(body);
      const res = await api
        .as('admin')
        .post(endpoint.path())
        .set('Content-Type', 'application/json')
        .send(raw as object);
      if (res.status < 400 || res.status >= 500)
        throw new Error(`${label}: answered ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      if (label === 'an unknown field') {
        expect(res.status).toBe(400);
        expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('isAdmin');
      }
    }
    expect(await eventCount()).toBe(before);
    expect((await api.as('admin').get('/api/v1/units')).body.items?.length).toBe(units);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores markup and SQL-looking text verbatim, as data', async () => {
    const text = `<script>alert(1)</script> '; DROP TABLE events; -- \u202e ${'𠮷'.repeat(10)}`;
    await api.as('admin').post(`/api/v1/issues/${issueId}/progress`).send({ text }).expect(200);
    const history = (await api.as('admin').get(`/api/v1/issues/${issueId}/history`)).body;
    expect(history.events[history.events.length - 1].data.text).toBe(text);
  });

  it('refuses malformed JSON, a non-JSON content type and an oversized body without appending', async () => {
    const before = await eventCount();
    const path = `/api/v1/issues/${issueId}/progress`;
    const bearer = `Bearer ${api.token('admin')}`;
    const malformed = await api.http
      .post(path)
      .set('Authorization', bearer)
      .set('Content-Type', 'application/json')
      .send('{"text": "unterminated');
    expect(malformed.status).toBe(400);
    expect(malformed.body.detail).toMatch(/JSON/);
    const form = await api.http
      .post(path)
      .set('Authorization', bearer)
      .set('Content-Type', 'text/plain')
      .send('text=hello');
    expect(form.status).toBe(415);
    const huge = await api.http
      .post(path)
      .set('Authorization', bearer)
      .send({ text: 'x'.repeat(300 * 1024) });
    expect(huge.status).toBe(413);
    expect(huge.headers['content-type']).toMatch(/problem\+json/);
    const deep = await api.http
      .post(path)
      .set('Authorization', bearer)
      .set('Content-Type', 'application/json')
      .send(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`);
    expect(deep.status).toBeGreaterThanOrEqual(400);
    expect(deep.status).toBeLessThan(500);
    expect(await eventCount()).toBe(before);
  });

  it('names every bad field of a body', async () => {
    const res = await api
      .as('registrar')
      .post('/api/v1/issues')
      .send({
        source: 'rumour',
        category: '',
        title: 5,
        description: 'd',
        reporter: { name: 7, confidential: 'yes' },
        attachments: 'one',
        extra: 1,
      })
      .expect(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'source',
        'category',
        'title',
        'reporter.name',
        'reporter.confidential',
        'attachments',
        'extra',
      ]),
    );
  });

  it('answers 404 for malformed path ids and 400 for malformed query values', async () => {
    // a malformed id names no resource (DESIGN §7.1): 404 like any unknown id; a bad query value stays 400
    await api.as('admin').get('/api/v1/issues/not-a-uuid').expect(404);
    await api
      .as('admin')
      .get(`/api/v1/issues/${'x'.repeat(5000)}`)
      .expect((r) => expect(r.status).toBeLessThan(500));
    await api.as('admin').post('/api/v1/issues/not-a-uuid/triage').send({}).expect(404);
    await api.as('admin').get(`/api/v1/issues/${issueId}?asOf[$gt]=1`).expect(400);
    await api.as('admin').post(`/api/v1/issues/${issueId}/triage`).set('If-Match', 'garbage').send({}).expect(400);
    await api
      .as('admin')
      .post(`/api/v1/issues/${issueId}/triage`)
      .set('Idempotency-Key', 'k'.repeat(300))
      .send({})
      .expect(400);
  });
});
