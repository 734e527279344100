import { randomUUID } from 'node:crypto';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, future, issueBody } from './support/fixtures';
import { logHead } from './support/log-head';
import { WriteRoute, writeRoutes } from './support/routes';

/**
 * Malformed, oversized, wrong-type, unknown-field and hostile bodies: exactly 400, 413 or 415 as problem+json
 * (naming the bad fields for 400), and nothing appended anywhere in the log. The router sweep covers every
 * write route by itself; the table below also varies each field of a valid body.
 */
describe('bad input is refused with 400, 413 or 415 and never appends', () => {
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

  describe('every write route of the router', () => {
    let routes: WriteRoute[];
    let requestId: string;
    beforeAll(async () => {
      routes = writeRoutes(api);
      const officer = api.as('unit_officer', unit);
      requestId = (
        await officer
          .post(`/api/v1/issues/${issueId}/extension-requests`)
          .send({ newDeadline: future(30), reason: '材料待补' })
          .expect(201)
      ).body.requestId;
    });

    const label = (route: WriteRoute) => `${route.method.toUpperCase()} ${route.path}`;
    /** real ids where the resource exists, so the body check is what answers; a fresh UUID for the rest */
    const urlOf = (route: WriteRoute) =>
      route.path
        .replace(/\/(issues|units|appraisals)\/:id\b/, (_, resource: string) => {
          const ids: Record<string, string> = { issues: issueId, units: unit, appraisals: campaignId };
          return `/${resource}/${ids[resource]}`;
        })
        .replace(':requestId', requestId)
        .replace(':round', 'r1')
        .replace(':year', '2026')
        .replace(/:[A-Za-z]+/g, () => randomUUID());
    /** a role the route allows (admin may everywhere); a public route is called without a token */
    const send = (route: WriteRoute, contentType: string, body: string) => {
      const req = api.http[route.method](urlOf(route)).set('Content-Type', contentType);
      // a subject of its own per route: the sweep measures validation, not the per-token rate limit
      if (!route.isPublic) req.set('Authorization', `Bearer ${api.token('admin', undefined, `sweep ${label(route)}`)}`);
      return req.send(body);
    };

    /** the status a refused body must get, and what went wrong otherwise */
    async function expectRefusal(
      route: WriteRoute,
      probe: string,
      status: number,
      contentType: string,
      body: string,
      check: (res: { body: { errors?: { field: string }[] } }) => string | null = () => null,
    ): Promise<string[]> {
      const res = await send(route, contentType, body);
      const wrong: string[] = [];
      if (res.status !== status) wrong.push(`${label(route)} ${probe}: ${res.status}, expected ${status}`);
      else if (!/application\/problem\+json/.test(res.headers['content-type'] ?? ''))
        wrong.push(`${label(route)} ${probe}: answered ${res.headers['content-type']}, not problem+json`);
      else {
        const why = check(res);
        if (why) wrong.push(`${label(route)} ${probe}: ${why}`);
      }
      return wrong;
    }

    it('covers the unit, appraisal, calendar, admin, inbox and /findings routes, and every route that reads a body', () => {
      const all = routes.map(label);
      expect(all).toEqual(
        expect.arrayContaining([
          'POST /api/v1/issues/:id/findings',
          'POST /api/v1/units',
          'POST /api/v1/units/:id/contacts',
          'POST /api/v1/appraisals/:id/ballots',
          'PUT /api/v1/admin/calendar/:year',
          'POST /api/v1/admin/progress-requests',
          'POST /api/v1/admin/import',
          'POST /api/v1/inbox/:id/read',
        ]),
      );
      const withBody = routes.filter((r) => r.takesBody).map(label);
      expect(withBody).toEqual(
        expect.arrayContaining([
          'POST /api/v1/issues/:id/findings',
          'POST /api/v1/units/:id/rename',
          'POST /api/v1/appraisals/:id/ballot-tokens',
          'PUT /api/v1/admin/calendar/:year',
          'POST /api/v1/admin/progress-requests',
        ]),
      );
      // routes without a body parameter exist too (publish, rebuild, inbox read): the split is real
      expect(withBody.length).toBeLessThan(all.length);
    });

    it('refuse malformed JSON, a scalar, prototype keys (400), a non-JSON type (415) and an oversized body (413), appending nothing', async () => {
      const head = await logHead(api);
      const oversized = JSON.stringify({ text: 'x'.repeat(api.config.bodyLimitBytes + 1024) });
      const wrong: string[] = [];
      for (const route of routes) {
        const json = 'application/json';
        wrong.push(
          ...(await expectRefusal(route, 'malformed JSON', 400, json, '{"text": "unterminated')),
          ...(await expectRefusal(route, 'a bare string', 400, json, '"text"')),
          ...(await expectRefusal(route, 'a __proto__ key', 400, json, '{"__proto__": {"polluted": true}}')),
          ...(await expectRefusal(
            route,
            'a constructor key',
            400,
            json,
            '{"constructor": {"prototype": {"polluted": true}}}',
          )),
          ...(await expectRefusal(route, 'text/plain', 415, 'text/plain', 'text=hello')),
          ...(await expectRefusal(route, 'a form', 415, 'application/x-www-form-urlencoded', 'text=hello')),
          ...(await expectRefusal(route, 'an oversized body', 413, json, oversized)),
        );
      }
      expect(wrong).toEqual([]);
      expect(await logHead(api)).toBe(head);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuse, on every route that reads a body, an array, unknown fields and null for each required field: 400 naming them, appending nothing', async () => {
      const head = await logHead(api);
      const withBody = routes.filter((r) => r.takesBody);
      const wrong: string[] = [];
      let nullProbes = 0;
      for (const route of withBody) {
        const json = 'application/json';
        wrong.push(...(await expectRefusal(route, 'an array of objects', 400, json, '[{}]')));
        wrong.push(...(await expectRefusal(route, 'an empty array', 400, json, '[]')));
        // the unknown fields alone: the answer names them and every field the DTO requires
        let required: string[] = [];
        wrong.push(
          ...(await expectRefusal(route, 'unknown fields', 400, json, '{"isAdmin": true, "role": "admin"}', (res) => {
            const named = (res.body.errors ?? []).map((e) => e.field);
            required = named.filter((f) => !['isAdmin', 'role'].includes(f) && !/[.[]/.test(f));
            return ['isAdmin', 'role'].every((f) => named.includes(f)) ? null : `named ${named.join(', ')}`;
          })),
        );
        for (const field of required) {
          nullProbes += 1;
          wrong.push(
            ...(await expectRefusal(route, `${field}: null`, 400, json, JSON.stringify({ [field]: null }), (res) =>
              (res.body.errors ?? []).some((e) => e.field === field) ? null : `${field} not named`,
            )),
          );
        }
      }
      expect(wrong).toEqual([]);
      // most commands require something: the null probes really ran
      expect(nullProbes).toBeGreaterThan(withBody.length);
      expect(await logHead(api)).toBe(head);
    });
  });

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
    { path: () => `/api/v1/issues/${issueId}/result`, valid: () => ({ summary: 's' }) },
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
    { path: () => `/api/v1/issues/${issueId}/findings`, valid: () => ({ kind: 'perfunctory', note: 'n' }) },
    { path: () => `/api/v1/issues/${issueId}/time-limit`, valid: () => ({ deadlineWorkingDays: 5, reason: 'r' }) },
    { path: () => `/api/v1/issues/${issueId}/reopen`, valid: () => ({ deadline: future(9), reason: 'r' }) },
    { path: () => `/api/v1/units/${unit}/rename`, valid: () => ({ name: '新名称' }) },
    { path: () => `/api/v1/units/${unit}/head`, valid: () => ({ name: '钱七' }) },
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

  it.each(
    endpoints.map(
      (e) =>
        [
          e
            .path()
            .replace(/\/(issues|units|appraisals)\/[^/]+/, '/$1/:id')
            .replace(/[0-9a-f-]{36}/g, ':requestId'),
          e,
        ] as const,
    ),
  )('%s', async (_name, endpoint) => {
    const head = await logHead(api);
    // a subject of its own per endpoint: the test measures validation, not the per-token rate limit
    const bearer = `Bearer ${api.token('admin', undefined, `hostile ${endpoint.path()}`)}`;
    const wrong: string[] = [];
    for (const [label, body] of variants(endpoint)) {
      const raw = typeof body === 'object' && body !== null ? (body as object) : JSON.stringify(body);
      const res = await api.http
        .post(endpoint.path())
        .set('Authorization', bearer)
        .set('Content-Type', 'application/json')
        .send(raw as object);
      // each variant is wrong whatever the state: refused by validation (400), before any state is read
      if (res.status !== 400 || !/application\/problem\+json/.test(res.headers['content-type'] ?? ''))
        wrong.push(`${label}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
      else if (label === 'an unknown field' && !res.body.errors.some((e: { field: string }) => e.field === 'isAdmin'))
        wrong.push(`${label}: isAdmin not named`);
    }
    expect(wrong).toEqual([]);
    expect(await logHead(api)).toBe(head);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stores markup and SQL-looking text verbatim, as data', async () => {
    const text = `<script>alert(1)</script> '; DROP TABLE events; -- \u202e ${'𠮷'.repeat(10)}`;
    await api.as('admin').post(`/api/v1/issues/${issueId}/progress`).send({ text }).expect(200);
    const history = (await api.as('admin').get(`/api/v1/issues/${issueId}/history`)).body;
    expect(history.events[history.events.length - 1].data.text).toBe(text);
  });

  it('refuses malformed JSON, a non-JSON content type and an oversized body without appending', async () => {
    const before = await logHead(api);
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
    expect(deep.status).toBe(400);
    expect(await logHead(api)).toBe(before);
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
