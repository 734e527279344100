import { ReadModelService } from '../apps/api/src/read-model/read-model.service';
import { startTestApi, TestApi } from './support/api';
import { createUnit, future } from './support/fixtures';
import { logHead } from './support/log-head';

/** A day relative to today, as YYYY-MM-DD (UTC is close enough: a day either way of the agency's). */
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Finding {
  issueId: string;
  unitId: string;
  title: string;
  status: string | null;
}
interface Inspection {
  id: string;
  kind: string;
  date: string;
  unitIds: string[];
  findings: Finding[];
  units: { unitId: string; findings: number; closed: number }[];
}

/** 明察暗访 over HTTP: an undercover visit to three units whose findings become issues that rectify like any other. */
describe('inspections (明察暗访/专项督察)', () => {
  let api: TestApi;
  let units: string[];
  let elsewhere: string;
  let inspectionId: string;
  let position = 0;
  const findings: { issueId: string; unitId: string; title: string }[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    units = [await createUnit(api, 'IN1', '政务服务中心'), await createUnit(api, 'IN2', '不动产登记中心')];
    units.push(await createUnit(api, 'IN3', '公积金中心'));
    elsewhere = await createUnit(api, 'IN4', '未被检查单位');
  });
  afterAll(async () => api.close());

  const body = (overrides: Record<string, unknown> = {}) => ({
    kind: 'undercover',
    date: day(-1),
    team: ['王五', '赵六'],
    unitIds: units,
    ...overrides,
  });
  const getAs = async (role: 'registrar' | 'unit_officer' | 'supervisor' | 'auditor', unitId?: string) =>
    (await api.as(role, unitId).get(`/api/v1/inspections/${inspectionId}?minPosition=${position}`).expect(200))
      .body as Inspection;
  const find = (unitId: string, title: string, role: 'registrar' | 'supervisor' = 'registrar', as?: string) =>
    api
      .as(role, as ?? unitId)
      .post(`/api/v1/inspections/${inspectionId}/findings`)
      .send({ unitId, title, description: `暗访发现：${title}` });

  it('a registrar records an undercover visit of three units: 201 {id}', async () => {
    const res = await api.as('registrar').post('/api/v1/inspections').send(body()).expect(201);
    expect(res.body).toEqual({ id: expect.any(String), revision: 0, position: expect.any(Number) });
    inspectionId = res.body.id;
    position = res.body.position;
    expect(await getAs('registrar')).toMatchObject({
      kind: 'undercover',
      date: day(-1),
      team: ['王五', '赵六'],
      unitIds: units,
      findings: [],
      units: units.map((unitId) => ({ unitId, findings: 0, closed: 0 })),
    });
  });

  it('each finding registers an issue (source undercover_visit, about the unit, naming the inspection): 201 {issueId}', async () => {
    for (const [unitId, title] of [
      [units[0], '窗口工作人员上班时间玩手机'],
      [units[0], '办事指南未公示'],
      [units[2], '咨询电话无人接听'],
    ]) {
      const res = await find(unitId, title).expect(201);
      expect(res.body).toEqual({ issueId: expect.any(String), revision: 0, position: expect.any(Number) });
      position = Math.max(position, res.body.position);
      findings.push({ issueId: res.body.issueId, unitId, title });
    }
    const issue = await api.as('registrar').get(`/api/v1/issues/${findings[0].issueId}`).expect(200);
    expect(issue.body).toMatchObject({
      status: 'registered',
      source: 'undercover_visit',
      category: '暗访',
      kind: 'problem',
      title: '窗口工作人员上班时间玩手机',
      description: '暗访发现：窗口工作人员上班时间玩手机',
      accused: { unitId: units[0] },
      inspectionId,
    });
  });

  it("GET shows the units checked, the findings and their issues' status as rectification moves on", async () => {
    const [first, second] = findings;
    // the first is assigned to the unit and rectified to the end; the second only assigned
    const assign = { responsiblePerson: { name: '李主任' }, deadline: future(15), mode: 'counterpart' };
    for (const f of [first, second])
      await api
        .as('registrar')
        .post(`/api/v1/issues/${f.issueId}/assign`)
        .send({ leadUnitId: f.unitId, ...assign })
        .expect(200);
    await api
      .as('unit_officer', first.unitId)
      .post(`/api/v1/issues/${first.issueId}/result`)
      .send({ summary: '已批评教育，纳入考核' })
      .expect(200);
    await api.as('assessor').post(`/api/v1/issues/${first.issueId}/assessments`).send({ verdict: 'satisfied' });
    position = (await api.as('registrar').post(`/api/v1/issues/${first.issueId}/close`).send({}).expect(200)).body
      .position;
    const got = await getAs('registrar');
    expect(got.findings.map((f) => [f.title, f.status])).toEqual([
      ['窗口工作人员上班时间玩手机', 'closed'],
      ['办事指南未公示', 'assigned'],
      ['咨询电话无人接听', 'registered'],
    ]);
    expect(got.units).toEqual([
      { unitId: units[0], findings: 2, closed: 1 },
      { unitId: units[1], findings: 0, closed: 0 },
      { unitId: units[2], findings: 1, closed: 0 },
    ]);
    // the issues list finds them by source like any other issue
    const listed = await api
      .as('registrar')
      .get(`/api/v1/issues?source=undercover_visit&minPosition=${position}&limit=200`)
      .expect(200);
    expect(listed.body.items.map((i: { id: string }) => i.id).sort()).toEqual(findings.map((f) => f.issueId).sort());
  });

  it('open and special inspections register their findings with source inspection', async () => {
    for (const kind of ['open', 'special']) {
      const { id } = (await api.as('registrar').post('/api/v1/inspections').send(body({ kind })).expect(201)).body;
      const res = await api
        .as('registrar')
        .post(`/api/v1/inspections/${id}/findings`)
        .send({ unitId: units[1], title: '台账不全', description: '整改台账缺失', category: '作风建设' })
        .expect(201);
      const issue = await api.as('registrar').get(`/api/v1/issues/${res.body.issueId}`).expect(200);
      expect(issue.body).toMatchObject({ source: 'inspection', category: '作风建设', inspectionId: id });
    }
  });

  it('a supervisor records findings at the units they supervise, and only there (403, nothing appended)', async () => {
    const res = await find(units[2], '大厅秩序混乱', 'supervisor').expect(201);
    position = res.body.position;
    findings.push({ issueId: res.body.issueId, unitId: units[2], title: '大厅秩序混乱' });
    const head = await logHead(api);
    const refused = await find(units[1], '越权记录', 'supervisor', units[2]);
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(await logHead(api)).toBe(head);
  });

  it("a unit officer sees an inspection of their unit once held, with their unit's findings only", async () => {
    const mine = await getAs('unit_officer', units[0]);
    expect(mine.unitIds).toEqual([units[0]]);
    expect(mine.findings.map((f) => f.title)).toEqual(['窗口工作人员上班时间玩手机', '办事指南未公示']);
    await api.as('unit_officer', elsewhere).get(`/api/v1/inspections/${inspectionId}`).expect(404);
    // an undercover visit planned for next week is not announced to the units it will check
    const planned = (
      await api
        .as('registrar')
        .post('/api/v1/inspections')
        .send(body({ date: day(7) }))
        .expect(201)
    ).body;
    await api.as('unit_officer', units[0]).get(`/api/v1/inspections/${planned.id}`).expect(404);
    const officerList = await api
      .as('unit_officer', units[0])
      .get(`/api/v1/inspections?minPosition=${planned.position}&limit=200`)
      .expect(200);
    const ids = officerList.body.items.map((i: Inspection) => i.id);
    expect(ids).toContain(inspectionId);
    expect(ids).not.toContain(planned.id);
    const office = await api.as('auditor').get(`/api/v1/inspections?limit=200`).expect(200);
    expect(office.body.items.map((i: Inspection) => i.id)).toContain(planned.id);
  });

  it('lists latest first, filtered by kind and unit; inspection_rows holds one row per inspection for /stats', async () => {
    const all = await api.as('registrar').get(`/api/v1/inspections?limit=200&minPosition=${position}`).expect(200);
    const items = all.body.items as Inspection[];
    expect(items.map((i) => i.date)).toEqual([...items.map((i) => i.date)].sort().reverse());
    const undercover = await api.as('registrar').get('/api/v1/inspections?kind=undercover&limit=200').expect(200);
    expect(undercover.body.items.every((i: Inspection) => i.kind === 'undercover')).toBe(true);
    const ofElsewhere = await api.as('registrar').get(`/api/v1/inspections?unitId=${elsewhere}`).expect(200);
    expect(ofElsewhere.body.items).toEqual([]);
    const rows = api.app
      .get(ReadModelService)
      .db.prepare('SELECT id, kind, date, programme_id FROM inspection_rows ORDER BY date DESC, id DESC')
      .all() as { id: string; kind: string; date: string; programme_id: string | null }[];
    expect(rows).toEqual(items.map((i) => ({ id: i.id, kind: i.kind, date: i.date, programme_id: null })));
  });

  it('a rebuild of the read model replays inspection_rows and inspection_units identically', async () => {
    const dump = () =>
      ['inspection_rows', 'inspection_units'].map((t) =>
        api.app.get(ReadModelService).db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all(),
      );
    const before = dump();
    await api.as('admin').post('/api/v1/admin/projections/rebuild').send({}).expect(200);
    expect(dump()).toEqual(before);
  });

  describe('bad input, roles and idempotency', () => {
    it('a finding at a unit the inspection did not check is 400 naming unitId; nothing appended', async () => {
      const head = await logHead(api);
      const res = await find(elsewhere, '不在检查范围');
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_command', errors: [{ field: 'unitId' }] });
      expect(await logHead(api)).toBe(head);
    });

    it('refuses a bad inspection or finding with 400 naming each field, appending nothing', async () => {
      const head = await logHead(api);
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const [overrides, field] of [
        [{ kind: 'secret' }, 'kind'],
        [{ date: '2026-13-01' }, 'date'],
        [{ date: '12/05/2026' }, 'date'],
        [{ team: [] }, 'team'],
        [{ unitIds: [] }, 'unitIds'],
        [{ unitIds: [units[0], unknown] }, 'unitIds[1]'],
        [{ programmeId: unknown }, 'programmeId'],
        [{ programmeId: 'p-1' }, 'programmeId'],
      ] as const) {
        const res = await api.as('registrar').post('/api/v1/inspections').send(body(overrides));
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(JSON.stringify(res.body)).toContain(field);
      }
      for (const [finding, field] of [
        [{ title: '', description: 'd', unitId: units[0] }, 'title'],
        [{ title: 't', unitId: units[0] }, 'description'],
        [{ title: 't', description: 'd' }, 'unitId'],
      ] as const) {
        const res = await api.as('registrar').post(`/api/v1/inspections/${inspectionId}/findings`).send(finding);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(JSON.stringify(res.body)).toContain(field);
      }
      expect(await logHead(api)).toBe(head);
    });

    it('unknown inspections are 404, for reads and findings alike', async () => {
      const unknown = '00000000-0000-4000-8000-000000000002';
      await api.as('registrar').get(`/api/v1/inspections/${unknown}`).expect(404);
      await api.as('registrar').get('/api/v1/inspections/not-an-id').expect(404);
      const head = await logHead(api);
      await api
        .as('registrar')
        .post(`/api/v1/inspections/${unknown}/findings`)
        .send({ unitId: units[0], title: 't', description: 'd' })
        .expect(404);
      expect(await logHead(api)).toBe(head);
    });

    it.each(['unit_officer', 'assessor', 'auditor', 'supervisor'] as const)(
      'a %s may not record inspections: 403 and nothing appended',
      async (role) => {
        const head = await logHead(api);
        const res = await api.as(role, units[0]).post('/api/v1/inspections').send(body());
        expect(res.status).toBe(403);
        expect(await logHead(api)).toBe(head);
      },
    );

    it.each(['unit_officer', 'assessor', 'auditor'] as const)(
      'a %s may not record findings: 403 and nothing appended',
      async (role) => {
        const head = await logHead(api);
        const res = await find(units[0], '无权记录', 'registrar').set(
          'Authorization',
          `Bearer ${api.token(role, units[0])}`,
        );
        expect(res.status).toBe(403);
        expect(await logHead(api)).toBe(head);
      },
    );

    it('a retried finding under the same Idempotency-Key answers the same issue and appends nothing', async () => {
      const send = () =>
        api
          .as('registrar')
          .post(`/api/v1/inspections/${inspectionId}/findings`)
          .set('Idempotency-Key', 'finding-once')
          .send({ unitId: units[1], title: '重复提交', description: '同一发现只登记一次' });
      const first = await send().expect(201);
      const head = await logHead(api);
      const again = await send().expect(201);
      expect(again.body).toEqual(first.body);
      expect(await logHead(api)).toBe(head);
    });
  });
});
