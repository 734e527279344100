import { sign } from 'jsonwebtoken';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { startTestApi, TEST_SECRET, TestApi } from './support/api';
import { assignedIssue, createUnit, future } from './support/fixtures';

/** 回访 (reporters answered), the people dealt with, and supervisors (监督员) scoped to the units they supervise. */
describe('reporter feedback, peopleDealtWith and supervisors', () => {
  let api: TestApi;
  let unitA: string;
  let unitB: string;
  let position = 0;
  const head = () => api.app.get<EventStore>(EVENT_STORE).headPosition();
  const supervisor = (unitIds: unknown, sub = 'sup-1') =>
    `Bearer ${sign({ sub, name: '监督员', roles: ['supervisor'], unitIds }, TEST_SECRET, { algorithm: 'HS256', expiresIn: '1h' })}`;
  const asSupervisor = (unitIds: string[]) => ({
    get: (url: string) => api.http.get(url).set('Authorization', supervisor(unitIds)),
    post: (url: string) => api.http.post(url).set('Authorization', supervisor(unitIds)),
  });
  const post = async (role: 'registrar' | 'unit_officer' | 'assessor', path: string, body: object, unit?: string) => {
    const res = await api.as(role, unit).post(`/api/v1${path}`).send(body);
    if (res.status >= 300) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
    position = Math.max(position, res.body.position as number);
    return res;
  };
  /** An issue of `unit` through result, assessment and closing. */
  const closedIssue = async (unit: string) => {
    const id = await assignedIssue(api, unit);
    await post('unit_officer', `/issues/${id}/result`, { summary: '已整改' }, unit);
    await post('assessor', `/issues/${id}/assessments`, { verdict: 'satisfied' });
    await post('registrar', `/issues/${id}/close`, {});
    return id;
  };

  beforeAll(async () => {
    api = await startTestApi();
    unitA = await createUnit(api, 'RFA');
    unitB = await createUnit(api, 'RFB');
  });
  afterAll(async () => api.close());

  describe('POST /issues/:id/reporter-feedback (回访)', () => {
    it('a registrar records it after the result; it shows on the issue and in its history', async () => {
      const id = await closedIssue(unitA);
      await post('registrar', `/issues/${id}/reporter-feedback`, {
        channel: 'phone',
        verdict: 'unsatisfied',
        note: '反弹',
      });
      const issue = (await api.as('registrar').get(`/api/v1/issues/${id}`).expect(200)).body;
      expect(issue.reporterFeedback).toEqual([
        expect.objectContaining({ channel: 'phone', verdict: 'unsatisfied', note: '反弹' }),
      ]);
      const history = (await api.as('registrar').get(`/api/v1/issues/${id}/history`).expect(200)).body;
      expect(history.events.map((e: { type: string }) => e.type)).toContain('ReporterFeedbackRecorded');
    });

    it('before a result is reported: 409 naming the status, nothing appended', async () => {
      const id = await assignedIssue(api, unitA);
      const before = await head();
      const res = await api
        .as('registrar')
        .post(`/api/v1/issues/${id}/reporter-feedback`)
        .send({ channel: 'sms', verdict: 'satisfied' })
        .expect(409);
      expect(res.body.detail).toMatch(/assigned/);
      expect(await head()).toBe(before);
    });

    it.each([
      ['channel', { channel: 'email', verdict: 'satisfied' }],
      ['verdict', { channel: 'phone', verdict: 'happy' }],
      ['note', { channel: 'phone', verdict: 'satisfied', note: 'x'.repeat(5001) }],
    ])('a bad %s is 400 naming the field, nothing appended', async (field, body) => {
      const id = await closedIssue(unitA);
      const before = await head();
      const res = await api.as('registrar').post(`/api/v1/issues/${id}/reporter-feedback`).send(body).expect(400);
      expect(JSON.stringify(res.body)).toContain(field);
      expect(await head()).toBe(before);
    });

    it.each(['unit_officer', 'assessor', 'auditor'] as const)('%s: 403, nothing appended', async (role) => {
      const id = await closedIssue(unitA);
      const before = await head();
      await api
        .as(role, role === 'unit_officer' ? unitA : undefined)
        .post(`/api/v1/issues/${id}/reporter-feedback`)
        .send({ channel: 'phone', verdict: 'satisfied' })
        .expect(403);
      await asSupervisor([unitA])
        .post(`/api/v1/issues/${id}/reporter-feedback`)
        .send({ channel: 'phone', verdict: 'satisfied' })
        .expect(403);
      expect(await head()).toBe(before);
    });
  });

  describe('GET /lists/candidates', () => {
    it('a closed issue whose reporter is unsatisfied is a 回头看 candidate, and no longer a red-list one', async () => {
      const unhappy = await closedIssue(unitA);
      const happy = await closedIssue(unitA);
      await post('registrar', `/issues/${unhappy}/reporter-feedback`, { channel: 'phone', verdict: 'unsatisfied' });
      await post('registrar', `/issues/${happy}/reporter-feedback`, { channel: 'phone', verdict: 'satisfied' });
      const open = await assignedIssue(api, unitA);
      await post('unit_officer', `/issues/${open}/result`, { summary: '已整改' }, unitA);
      await post('registrar', `/issues/${open}/reporter-feedback`, { channel: 'sms', verdict: 'unsatisfied' });
      const candidates = (await api.as('registrar').get(`/api/v1/lists/candidates?minPosition=${position}`).expect(200))
        .body;
      const ids = (list: { issueId: string }[]) => list.map((c) => c.issueId);
      expect(ids(candidates.revisit)).toContain(unhappy);
      expect(ids(candidates.revisit)).not.toContain(happy);
      expect(ids(candidates.revisit)).not.toContain(open);
      expect(ids(candidates.red)).toContain(happy);
      expect(ids(candidates.red)).not.toContain(unhappy);
    });
  });

  describe('GET /stats', () => {
    it("reporterSatisfaction counts each issue's latest verdict; peopleDealtWith distinct persons by name and unit", async () => {
      const unitS = await createUnit(api, 'RFS');
      const verdicts = [['unsatisfied', 'satisfied'], ['basically_satisfied'], ['unsatisfied'], ['satisfied']];
      for (const sequence of verdicts) {
        const id = await closedIssue(unitS);
        for (const verdict of sequence)
          await post('registrar', `/issues/${id}/reporter-feedback`, { channel: 'visit', verdict });
      }
      const targets = [
        { kind: 'person', name: '张三', unitId: unitS },
        { kind: 'person', name: '张三', unitId: unitS },
        { kind: 'person', name: '张三', unitId: unitA },
        { kind: 'person', name: '李四' },
        { kind: 'unit', unitId: unitS },
      ];
      const accountabilityIssue = await assignedIssue(api, unitS);
      for (const target of targets)
        await post('registrar', `/issues/${accountabilityIssue}/accountability`, {
          measure: 'admonishment',
          target,
          reason: '整改不力',
        });
      // independent count: the last verdict of each sequence, and distinct (name, unit) of the person targets
      const latest = verdicts.map((s) => s[s.length - 1]);
      const expected = {
        satisfied: latest.filter((v) => v === 'satisfied').length,
        basically_satisfied: latest.filter((v) => v === 'basically_satisfied').length,
        unsatisfied: latest.filter((v) => v === 'unsatisfied').length,
      };
      const people = new Set(targets.filter((t) => t.kind === 'person').map((t) => `${t.name}|${t.unitId ?? ''}`));
      const stats = (await api.as('auditor').get(`/api/v1/stats?unitId=${unitS}&minPosition=${position}`).expect(200))
        .body;
      expect(stats.reporterSatisfaction).toEqual(expected);
      expect(stats.peopleDealtWith).toBe(people.size);
      const past = (
        await api
          .as('auditor')
          .get(
            `/api/v1/stats?unitId=${unitS}&from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00Z&minPosition=${position}`,
          )
          .expect(200)
      ).body;
      expect(past.peopleDealtWith).toBe(0);
    });
  });

  describe('supervisors (监督员)', () => {
    it('a supervisor token without unitIds is refused', async () => {
      await api.http.get('/api/v1/issues').set('Authorization', supervisor([])).expect(401);
      await api.http.get('/api/v1/issues').set('Authorization', supervisor(undefined)).expect(401);
    });

    it("reads the supervised units' issues without the reporter, never other units'", async () => {
      const mine = await assignedIssue(api, unitA);
      const other = await assignedIssue(api, unitB);
      const issue = (await asSupervisor([unitA]).get(`/api/v1/issues/${mine}`).expect(200)).body;
      expect(issue.reporter).toEqual({ confidential: true });
      const history = await asSupervisor([unitA]).get(`/api/v1/issues/${mine}/history`).expect(200);
      expect(history.text).not.toContain('李四');
      expect(history.text).not.toContain('13800000000');
      const list = await asSupervisor([unitA]).get(`/api/v1/issues?limit=200&minPosition=${position}`).expect(200);
      const ids = list.body.items.map((i: { id: string }) => i.id);
      expect(ids).toContain(mine);
      expect(ids).not.toContain(other);
      expect(list.text).not.toContain('李四');
      await asSupervisor([unitA]).get(`/api/v1/issues/${other}`).expect(403);
      await asSupervisor([unitA]).get(`/api/v1/issues/${other}/history`).expect(403);
      await asSupervisor([unitA]).get(`/api/v1/issues?unitId=${unitB}`).expect(403);
    });

    it('a non-confidential reporter is hidden from a supervisor too', async () => {
      const res = await api
        .as('registrar')
        .post('/api/v1/issues')
        .send({
          source: 'hotline',
          category: 'c',
          title: '公开举报',
          description: 'd',
          reporter: { name: '王公开', phone: '13900000000' },
        })
        .expect(201);
      await post('registrar', `/issues/${res.body.id}/assign`, {
        leadUnitId: unitA,
        responsiblePerson: { name: '王五' },
        deadline: future(10),
        mode: 'counterpart',
      });
      const seen = await asSupervisor([unitA]).get(`/api/v1/issues/${res.body.id}`).expect(200);
      expect(seen.text).not.toContain('王公开');
      expect(seen.text).not.toContain('13900000000');
    });

    it('records a finding on a supervised unit, 403 on another unit and on every other write, nothing appended', async () => {
      const mine = await assignedIssue(api, unitA);
      const other = await assignedIssue(api, unitB);
      await asSupervisor([unitA, unitB])
        .post(`/api/v1/issues/${other}/findings`)
        .send({ kind: 'perfunctory', note: '暗访发现' })
        .expect(200);
      await asSupervisor([unitA])
        .post(`/api/v1/issues/${mine}/findings`)
        .send({ kind: 'perfunctory', note: '暗访发现' })
        .expect(200);
      const before = await head();
      await asSupervisor([unitA])
        .post(`/api/v1/issues/${other}/findings`)
        .send({ kind: 'falsified', note: '材料不实' })
        .expect(403);
      await asSupervisor([unitA])
        .post(`/api/v1/issues/${mine}/escalations`)
        .send({ level: 1, reason: 'r' })
        .expect(403);
      await asSupervisor([unitA]).post(`/api/v1/issues/${mine}/assessments`).send({ verdict: 'satisfied' }).expect(403);
      await asSupervisor([unitA]).post('/api/v1/issues').send({}).expect(403);
      expect(await head()).toBe(before);
    });

    it('votes as a registered evaluator of an appraisal campaign', async () => {
      const campaign = await api
        .as('registrar')
        .post('/api/v1/appraisals')
        .send({
          name: '民主评议',
          year: 2026,
          unitIds: [unitA, unitB],
          criteria: [{ key: 'service', name: '服务', weight: 1 }],
          scale: { min: 0, max: 100 },
          groups: [{ key: 'supervisors', name: '监督员', weight: 1 }],
          rounds: [{ key: 'r1', name: '第一轮' }],
          bottomN: 1,
        })
        .expect(201);
      const id = campaign.body.id as string;
      await api
        .as('registrar')
        .post(`/api/v1/appraisals/${id}/evaluators`)
        .send({ group: 'supervisors', name: '监督员', userId: 'sup-vote' })
        .expect((r) => expect(r.status).toBeLessThan(300));
      await api.as('registrar').post(`/api/v1/appraisals/${id}/rounds/r1/open`).send({}).expect(200);
      await api.http
        .post(`/api/v1/appraisals/${id}/ballots`)
        .set('Authorization', supervisor([unitA], 'sup-vote'))
        .send({ round: 'r1', unitId: unitA, scores: { service: 90 } })
        .expect((r) => expect(r.status).toBeLessThan(300));
      await api.http
        .post(`/api/v1/appraisals/${id}/ballots`)
        .set('Authorization', supervisor([unitA], 'sup-not-registered'))
        .send({ round: 'r1', unitId: unitA, scores: { service: 90 } })
        .expect(403);
    });
  });

  describe('assessments may say how (评议方式) and who (评议组)', () => {
    it('method and panel are recorded when given; a bad method is 400 naming it', async () => {
      const id = await assignedIssue(api, unitA);
      await post('unit_officer', `/issues/${id}/result`, { summary: '已整改' }, unitA);
      const before = await head();
      const bad = await api
        .as('assessor')
        .post(`/api/v1/issues/${id}/assessments`)
        .send({ verdict: 'satisfied', method: 'guess' })
        .expect(400);
      expect(JSON.stringify(bad.body)).toContain('method');
      expect(await head()).toBe(before);
      await post('assessor', `/issues/${id}/assessments`, {
        verdict: 'satisfied',
        method: 'undercover_visit',
        panel: ['张三', '李四'],
      });
      const issue = (await api.as('registrar').get(`/api/v1/issues/${id}`).expect(200)).body;
      expect(issue.assessments[0]).toMatchObject({ method: 'undercover_visit', panel: ['张三', '李四'] });
    });
  });
});
