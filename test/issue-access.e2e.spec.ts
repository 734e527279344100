import { randomUUID } from 'node:crypto';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, future, issueBody, registerIssue } from './support/fixtures';
import { logHead } from './support/log-head';
import { writeRoutes } from './support/routes';
import type { TestRole } from './support/tokens';

/**
 * The role × endpoint matrix: every forbidden pair answers 403 and appends nothing anywhere (the global
 * log's head does not move). The hand-written table sends valid bodies, so a refusal can only come from
 * authorisation; the router sweep covers every write route the app has, with the roles its controller declares.
 */
describe('roles and unit scoping', () => {
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  let reportRequestId: string;
  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'RA1');
    unitB = await createUnit(api, 'RB1');
    reportRequestId = (
      await api
        .as('registrar')
        .post('/api/v1/report-requests')
        .send({ title: '专项报告', kind: 'special', unitIds: [unitA], dueDate: future(5) })
        .expect(201)
    ).body.id;
  });
  afterAll(async () => api.close());

  const writers: Record<string, { path: (id: string) => string; body: () => object; allowed: TestRole[] }> = {
    register: { path: () => '/api/v1/issues', body: () => issueBody(), allowed: ['registrar', 'admin'] },
    triage: {
      path: (id) => `/api/v1/issues/${id}/triage`,
      body: () => ({ priority: 'high' }),
      allowed: ['registrar', 'admin'],
    },
    assign: {
      path: (id) => `/api/v1/issues/${id}/assign`,
      body: () => ({ leadUnitId: unitB, responsiblePerson: { name: 'n' }, deadline: future(3), mode: 'leader' }),
      allowed: ['registrar', 'admin'],
    },
    reassign: {
      path: (id) => `/api/v1/issues/${id}/reassign`,
      body: () => ({
        leadUnitId: unitB,
        responsiblePerson: { name: 'n' },
        deadline: future(3),
        mode: 'leader',
        reason: 'r',
      }),
      allowed: ['registrar', 'admin'],
    },
    plan: {
      path: (id) => `/api/v1/issues/${id}/plan`,
      body: () => ({ measures: [{ description: 'd', owner: 'o', dueDate: future(2) }] }),
      allowed: ['unit_officer', 'admin'],
    },
    progress: {
      path: (id) => `/api/v1/issues/${id}/progress`,
      body: () => ({ text: 't' }),
      allowed: ['unit_officer', 'admin'],
    },
    extension: {
      path: (id) => `/api/v1/issues/${id}/extension-requests`,
      body: () => ({ newDeadline: future(30), reason: 'r' }),
      allowed: ['unit_officer', 'admin'],
    },
    result: {
      path: (id) => `/api/v1/issues/${id}/result`,
      body: () => ({ summary: 's' }),
      allowed: ['unit_officer', 'admin'],
    },
    assess: {
      path: (id) => `/api/v1/issues/${id}/assessments`,
      body: () => ({ verdict: 'satisfied' }),
      allowed: ['assessor', 'admin'],
    },
    finding: {
      path: (id) => `/api/v1/issues/${id}/findings`,
      body: () => ({ kind: 'perfunctory', note: 'n' }),
      allowed: ['registrar', 'assessor', 'supervisor', 'admin'],
    },
    reporterFeedback: {
      path: (id) => `/api/v1/issues/${id}/reporter-feedback`,
      body: () => ({ channel: 'phone', verdict: 'satisfied' }),
      allowed: ['registrar', 'admin'],
    },
    close: { path: (id) => `/api/v1/issues/${id}/close`, body: () => ({}), allowed: ['registrar', 'admin'] },
    withdraw: {
      path: (id) => `/api/v1/issues/${id}/withdraw`,
      body: () => ({ reason: 'r' }),
      allowed: ['registrar', 'admin'],
    },
    escalate: {
      path: (id) => `/api/v1/issues/${id}/escalations`,
      body: () => ({ level: 1, reason: 'r' }),
      allowed: ['registrar', 'admin'],
    },
    accountability: {
      path: (id) => `/api/v1/issues/${id}/accountability`,
      body: () => ({ measure: 'criticism_notice', target: { kind: 'person', name: 'n' }, reason: 'r' }),
      allowed: ['registrar', 'admin'],
    },
    lists: {
      path: (id) => `/api/v1/issues/${id}/lists`,
      body: () => ({ list: 'red', reason: 'r' }),
      allowed: ['registrar', 'admin'],
    },
    createUnit: {
      path: () => '/api/v1/units',
      body: () => ({ code: `U${Math.random().toString(36).slice(2, 8)}`, name: 'n' }),
      allowed: ['admin'],
    },
    campaign: {
      path: () => '/api/v1/appraisals',
      body: () => ({
        name: '年度评议',
        year: 2026,
        unitIds: [unitA, unitB],
        criteria: [{ key: 'attitude', name: '服务态度', weight: 1 }],
        scale: { min: 0, max: 100 },
        groups: [{ key: 'public', name: '群众', weight: 1 }],
        rounds: [{ key: 'r1', name: '评议' }],
        bottomN: 1,
      }),
      allowed: ['registrar', 'admin'],
    },
    createNotice: {
      path: () => '/api/v1/notices',
      body: () => ({ kind: 'criticism', title: '通报', body: '现予通报', unitIds: [unitA] }),
      allowed: ['registrar', 'admin'],
    },
    resolveOnSpot: {
      path: (id) => `/api/v1/issues/${id}/resolve-on-spot`,
      body: () => ({ summary: '当场整改' }),
      allowed: ['registrar', 'admin'],
    },
    assignmentBatch: {
      path: () => '/api/v1/assignment-batches',
      body: () => ({
        meeting: { date: '2026-03-02', presidedBy: { name: '张三', title: '副书记' } },
        items: [
          {
            issueId: '00000000-0000-4000-8000-000000000000',
            leadUnitId: unitA,
            responsiblePerson: { name: '王五' },
            deadlineWorkingDays: 10,
            mode: 'leader',
          },
        ],
      }),
      allowed: ['registrar', 'admin'],
    },
    createReportRequest: {
      path: () => '/api/v1/report-requests',
      body: () => ({ title: '专项报告', kind: 'special', unitIds: [unitA], dueDate: future(5) }),
      allowed: ['registrar', 'admin'],
    },
    submitUnitReport: {
      path: () => `/api/v1/report-requests/${reportRequestId}/reports`,
      body: () => ({ unitId: unitA, text: '专项报告正文' }),
      allowed: ['unit_officer', 'admin'],
    },
    createAnnualReview: {
      path: () => '/api/v1/annual-reviews',
      body: () => ({
        year: 2026,
        items: [{ key: 'onTime', name: '按期办结率', weight: 1, metric: 'onTimeRate', better: 'higher' }],
      }),
      allowed: ['registrar', 'admin'],
    },
    progressRequests: {
      path: () => '/api/v1/admin/progress-requests',
      body: () => ({ month: '2026-11', dueBy: future(3) }),
      allowed: ['registrar', 'admin'],
    },
  };
  const roles: TestRole[] = ['registrar', 'unit_officer', 'assessor', 'auditor', 'admin', 'supervisor'];
  const forbidden = Object.entries(writers).flatMap(([name, w]) =>
    roles.filter((r) => !w.allowed.includes(r)).map((role) => [name, role] as const),
  );

  it.each(forbidden)('%s is forbidden to %s: 403 and nothing appended', async (name, role) => {
    const id = await assignedIssue(api, unitA);
    const before = await logHead(api);
    const res = await api
      .as(role, role === 'unit_officer' ? unitA : undefined)
      .post(writers[name].path(id))
      .send(writers[name].body());
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(await logHead(api)).toBe(before);
  });

  it("the table's bodies are valid: a role the route allows is never answered 400, 403 or 422", async () => {
    for (const [name, writer] of Object.entries(writers)) {
      const id = await assignedIssue(api, unitA);
      const role = writer.allowed[0];
      const res = await api
        .as(role, role === 'unit_officer' ? unitA : undefined)
        .post(writer.path(id))
        .send(writer.body());
      expect({
        name,
        status: [400, 403, 422].includes(res.status) ? res.status : 'accepted or refused by state',
      }).toEqual({
        name,
        status: 'accepted or refused by state',
      });
    }
  });

  it('every write route of the router refuses every role its controller does not name: 403 and nothing appended', async () => {
    const issueId = await assignedIssue(api, unitA);
    const routes = writeRoutes(api);
    // every write route is either public or declares its roles: none is open to any token by omission
    expect(routes.filter((r) => !r.isPublic && !r.roles).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    const pairs = routes.flatMap((route) =>
      roles
        .filter((role) => route.roles && role !== 'admin' && !route.roles.includes(role))
        .map((role) => ({ route, role })),
    );
    expect(pairs.length).toBeGreaterThan(Object.values(forbidden).length);
    const head = await logHead(api);
    const refused: string[] = [];
    for (const { route, role } of pairs) {
      const url = route.path
        .replace(/^\/api\/v1\/issues\/:id/, `/api/v1/issues/${issueId}`)
        .replace(':round', 'r1')
        .replace(':year', '2026')
        .replace(/:[A-Za-z]+/g, () => randomUUID());
      const res = await api.http[route.method](url)
        .set('Authorization', `Bearer ${api.token(role, role === 'unit_officer' ? unitA : undefined)}`)
        .send({});
      refused.push(`${role} ${route.method.toUpperCase()} ${route.path} → ${res.status}`);
      expect(`${role} ${route.method.toUpperCase()} ${route.path} → ${res.status}`).toMatch(/→ 403$/);
    }
    expect(await logHead(api)).toBe(head);
    expect(refused).toHaveLength(pairs.length);
  });

  it('every write needs a token (401), and a forged or expired one is refused', async () => {
    const id = await registerIssue(api);
    for (const w of Object.values(writers)) {
      const res = await api.http.post(w.path(id)).send(w.body());
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    await api.http.get(`/api/v1/issues/${id}`).expect(401);
    await api.http.get(`/api/v1/issues/${id}`).set('Authorization', 'Bearer not.a.jwt').expect(401);
    const { sign } = await import('jsonwebtoken');
    const forged = sign({ sub: 'x', roles: ['admin'] }, 'some-other-secret-that-is-long-enough-000000', {
      algorithm: 'HS256',
    });
    await api.http.get(`/api/v1/issues/${id}`).set('Authorization', `Bearer ${forged}`).expect(401);
    const none = sign({ sub: 'x', roles: ['admin'] }, '', { algorithm: 'none' as never });
    await api.http.get(`/api/v1/issues/${id}`).set('Authorization', `Bearer ${none}`).expect(401);
    const expired = sign(
      { sub: 'x', roles: ['admin'], exp: Math.floor(Date.now() / 1000) - 60 },
      'test-secret-that-is-long-enough-for-hs256-0123456789',
      { algorithm: 'HS256' },
    );
    await api.http.get(`/api/v1/issues/${id}`).set('Authorization', `Bearer ${expired}`).expect(401);
    // valid in every way but its role: refused for the role, not for a missing exp
    const badRole = sign({ sub: 'x', roles: ['superuser'] }, 'test-secret-that-is-long-enough-for-hs256-0123456789', {
      algorithm: 'HS256',
      expiresIn: 600,
    });
    const refused = await api.http.get(`/api/v1/issues/${id}`).set('Authorization', `Bearer ${badRole}`).expect(401);
    expect(refused.body.detail).toMatch(/roles/);
  });

  it('a unit officer acts only on issues their unit leads or co-handles, and reads only those', async () => {
    const led = await assignedIssue(api, unitA);
    const coHandled = await assignedIssue(api, unitB, 10, [unitA]);
    const other = await assignedIssue(api, unitB);
    const officer = api.as('unit_officer', unitA);
    await officer.get(`/api/v1/issues/${led}`).expect(200);
    await officer.get(`/api/v1/issues/${coHandled}`).expect(200);
    await officer.get(`/api/v1/issues/${other}`).expect(403);
    await officer.get(`/api/v1/issues/${other}/history`).expect(403);
    await officer.post(`/api/v1/issues/${other}/progress`).send({ text: '越权上报' }).expect(403);
    await officer.post(`/api/v1/issues/${led}/progress`).send({ text: '正常上报' }).expect(200);
    await officer.post(`/api/v1/issues/${coHandled}/progress`).send({ text: '协办上报' }).expect(200);
    const unassigned = await registerIssue(api);
    await officer.get(`/api/v1/issues/${unassigned}`).expect(403);
  });

  it('shows a confidential reporter only to registrars and admins', async () => {
    const id = await assignedIssue(api, unitA);
    for (const role of ['registrar', 'admin'] as const) {
      expect((await api.as(role).get(`/api/v1/issues/${id}`)).body.reporter).toMatchObject({
        name: '李四',
        phone: '13800000000',
        confidential: true,
      });
    }
    for (const [role, unit] of [['assessor'], ['auditor'], ['unit_officer', unitA]] as const) {
      const body = (await api.as(role, unit).get(`/api/v1/issues/${id}`)).body;
      expect(body.reporter).toEqual({ confidential: true });
      expect(JSON.stringify(body)).not.toContain('13800000000');
      const history = (await api.as(role, unit).get(`/api/v1/issues/${id}/history`)).body;
      expect(JSON.stringify(history)).not.toContain('13800000000');
      expect(JSON.stringify(history)).not.toContain('李四');
    }
    const open = await registerIssue(api, { reporter: { name: '张三', confidential: false } });
    expect((await api.as('auditor').get(`/api/v1/issues/${open}`)).body.reporter).toMatchObject({ name: '张三' });
  });
});
