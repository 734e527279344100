import { ReadModelService } from '../apps/api/src/read-model/read-model.service';
import { startTestApi, TestApi } from './support/api';
import { createUnit, future } from './support/fixtures';
import { logHead } from './support/log-head';
import { waitUntil } from './support/wait';
import { fetchXlsx, XLSX } from './support/xlsx';

/** A task as the test itself keeps it: the independent count the programme's figures are held to. */
interface Task {
  id: string;
  phase: string;
  lead: string;
  co: string[];
  deadline: string;
  status: string;
}

interface Summary {
  tasks: { total: number; byStatus: Record<string, number>; overdue: number; onTimeRate: number | null };
  byUnit: { unitId: string; unitName: string | null; total: number; lead: number; overdue: number; closed: number }[];
  byPhase: { phase: string | null; total: number; overdue: number; closed: number }[];
}

const OPEN = ['assigned', 'in_progress', 'reopened'];
const BATTLES = ['营商环境', '项目建设', '民生实事', '作风整治', '基层治理'].map((name, i) => ({
  key: `battle-${i + 1}`,
  name: `${name}攻坚战`,
  from: `2026-0${i + 2}-01`,
  to: '2026-12-10',
}));

const programmeBody = (overrides: Record<string, unknown> = {}) => ({
  name: '效能风暴行动',
  year: 2026,
  kind: 'campaign',
  period: { from: '2026-01-01', to: '2026-12-31' },
  leadLeader: { name: '张三', title: '市委副书记' },
  phases: BATTLES,
  targets: ['审批时限压缩50%', '群众满意率达到95%以上'],
  ...overrides,
});

/** The figures a programme must answer, counted from the test's own record of its tasks at `asOf`. */
function expectedSummary(tasks: Task[], asOf: number, onlyUnit?: string): Summary {
  const mine = onlyUnit ? tasks.filter((t) => t.lead === onlyUnit || t.co.includes(onlyUnit)) : tasks;
  const overdue = (t: Task) => OPEN.includes(t.status) && Date.parse(t.deadline) < asOf;
  const byStatus: Record<string, number> = {};
  for (const t of mine) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  const closed = mine.filter((t) => t.status === 'closed').length;
  const units = [...new Set(mine.flatMap((t) => [t.lead, ...t.co]))]
    .filter((u) => !onlyUnit || u === onlyUnit)
    .sort((a, b) => a.localeCompare(b));
  const phases = [...new Set(mine.map((t) => t.phase))].sort();
  return {
    tasks: {
      total: mine.length,
      byStatus,
      overdue: mine.filter(overdue).length,
      // every task here is closed before its deadline
      onTimeRate: closed ? 1 : null,
    },
    byUnit: units.map((unitId) => {
      const involved = mine.filter((t) => t.lead === unitId || t.co.includes(unitId));
      return {
        unitId,
        unitName: expect.any(String) as unknown as string,
        total: involved.length,
        lead: involved.filter((t) => t.lead === unitId).length,
        overdue: involved.filter(overdue).length,
        closed: involved.filter((t) => t.status === 'closed').length,
      };
    }),
    byPhase: phases.map((phase) => {
      const inPhase = mine.filter((t) => t.phase === phase);
      return {
        phase,
        total: inPhase.length,
        overdue: inPhase.filter(overdue).length,
        closed: inPhase.filter((t) => t.status === 'closed').length,
      };
    }),
  };
}

/** The API's figures with its zero counts dropped and units in id order, so they compare with the test's own. */
const comparable = (s: Summary) => ({
  tasks: {
    ...s.tasks,
    byStatus: Object.fromEntries(Object.entries(s.tasks.byStatus).filter(([, n]) => n > 0)),
  },
  byUnit: [...s.byUnit].sort((a, b) => a.unitId.localeCompare(b.unitId)),
  byPhase: s.byPhase,
});

describe('programmes (专项行动): a Jiayuguan-like 效能风暴 with 5 battles and 25 tasks', () => {
  let api: TestApi;
  let units: string[];
  let outsider: string;
  let programmeId: string;
  let position = 0;
  const tasks: Task[] = [];
  /** the tasks given a deadline a few seconds ahead: overdue once it passes */
  const SHORT = new Set([2, 11, 23]);
  let shortDeadline = 0;

  const remember = <R extends { body: { position?: number } }>(res: R): R => {
    position = Math.max(position, res.body.position ?? 0);
    return res;
  };
  const summaryAs = async (role: 'registrar' | 'unit_officer' | 'auditor' | 'supervisor', unitId?: string) =>
    (await api.as(role, unitId).get(`/api/v1/programmes/${programmeId}?minPosition=${position}`).expect(200))
      .body as Summary & { name: string; phases: unknown[] };

  beforeAll(async () => {
    api = await startTestApi();
    units = [];
    for (let i = 1; i <= 8; i++) units.push(await createUnit(api, `JY${i}`, `嘉峪关单位${i}`));
    outsider = await createUnit(api, 'JY9', '未参与单位');
  });
  afterAll(async () => api.close());

  it('a registrar creates the programme: 201 {id}, and GET answers its period, leader, battles and targets', async () => {
    const res = remember(await api.as('registrar').post('/api/v1/programmes').send(programmeBody()).expect(201));
    expect(res.body).toEqual({ id: expect.any(String), revision: 0, position: expect.any(Number) });
    programmeId = res.body.id;
    const got = await summaryAs('registrar');
    expect(got).toMatchObject({
      id: programmeId,
      name: '效能风暴行动',
      year: 2026,
      kind: 'campaign',
      period: { from: '2026-01-01', to: '2026-12-31' },
      leadLeader: { name: '张三', title: '市委副书记' },
      phases: BATTLES,
      targets: ['审批时限压缩50%', '群众满意率达到95%以上'],
      tasks: { total: 0, overdue: 0, onTimeRate: null },
      byUnit: [],
      byPhase: [],
    });
  });

  it('25 tasks, each with a lead unit and two co-units: 20 through the shortcut, 5 through POST /issues', async () => {
    for (let i = 0; i < 25; i++) {
      // a short deadline is set as its task is assigned, so it is still ahead then however slow the machine
      if (SHORT.has(i)) shortDeadline = Date.now() + 4000;
      const task = {
        phase: BATTLES[i % 5].key,
        lead: units[i % 8],
        co: [units[(i + 1) % 8], units[(i + 3) % 8]],
        deadline: SHORT.has(i) ? new Date(shortDeadline).toISOString() : future(60),
      };
      const assignment = {
        leadUnitId: task.lead,
        coUnitIds: task.co,
        responsiblePerson: { name: `责任人${i}`, title: '局长' },
        deadline: task.deadline,
        mode: 'leader',
      };
      let id: string;
      if (i < 20) {
        const res = remember(
          await api
            .as('registrar')
            .post(`/api/v1/programmes/${programmeId}/tasks`)
            .send({ title: `任务${i + 1}`, phase: task.phase, ...assignment })
            .expect(201),
        );
        expect(res.body).toMatchObject({ id: expect.any(String), revision: 1, deadline: task.deadline });
        id = res.body.id;
      } else {
        const registered = await api
          .as('registrar')
          .post('/api/v1/issues')
          .send({
            source: 'supervision_team',
            category: '效能风暴',
            title: `任务${i + 1}`,
            description: `第${i + 1}项任务`,
            programmeId,
            phase: task.phase,
          })
          .expect(201);
        id = registered.body.id;
        remember(await api.as('registrar').post(`/api/v1/issues/${id}/assign`).send(assignment).expect(200));
      }
      tasks.push({ id, ...task, status: 'assigned' });
    }
    // 改派: the second task moves to another lead unit and co-unit before work starts; the figures follow
    const moved = tasks[1];
    Object.assign(moved, { lead: units[6], co: [units[7]] });
    remember(
      await api
        .as('registrar')
        .post(`/api/v1/issues/${moved.id}/reassign`)
        .send({
          leadUnitId: moved.lead,
          coUnitIds: moved.co,
          responsiblePerson: { name: '新责任人' },
          deadline: moved.deadline,
          mode: 'leader',
          reason: '职责调整',
        })
        .expect(200),
    );
    const one = await api.as('registrar').get(`/api/v1/issues/${tasks[0].id}`).expect(200);
    expect(one.body).toMatchObject({
      kind: 'task',
      programmeId,
      phase: 'battle-1',
      category: '效能风暴行动',
      source: 'supervision_team',
      description: '任务1',
    });
    const listed = await api
      .as('registrar')
      .get(`/api/v1/issues?programmeId=${programmeId}&limit=200&minPosition=${position}`)
      .expect(200);
    expect(listed.body.items.map((i: { id: string }) => i.id).sort()).toEqual(tasks.map((t) => t.id).sort());
    expect(listed.body.items.every((i: { kind: string }) => i.kind === 'task')).toBe(true);
  });

  it('monthly progress by the lead and co-units, results, assessment and closing move the figures as counted', async () => {
    for (const month of ['3月', '4月'])
      for (const [i, t] of tasks.entries()) {
        if (SHORT.has(i)) continue;
        const reporter = month === '3月' ? t.lead : t.co[0];
        remember(
          await api
            .as('unit_officer', reporter)
            .post(`/api/v1/issues/${t.id}/progress`)
            .send({ text: `${month}进度：按计划推进`, percent: month === '3月' ? 30 : 60 })
            .expect(200),
        );
        t.status = 'in_progress';
      }
    // six tasks done: the lead unit reports the result, the assessor accepts, the office closes (销号)
    for (const i of [0, 5, 7, 12, 18, 24]) {
      const t = tasks[i];
      await api
        .as('unit_officer', t.lead)
        .post(`/api/v1/issues/${t.id}/result`)
        .send({ summary: '已完成' })
        .expect(200);
      await api.as('assessor').post(`/api/v1/issues/${t.id}/assessments`).send({ verdict: 'satisfied' }).expect(200);
      remember(await api.as('registrar').post(`/api/v1/issues/${t.id}/close`).send({}).expect(200));
      t.status = 'closed';
    }
    // two awaiting assessment
    for (const i of [3, 9]) {
      const t = tasks[i];
      remember(
        await api
          .as('unit_officer', t.lead)
          .post(`/api/v1/issues/${t.id}/result`)
          .send({ summary: '已完成' })
          .expect(200),
      );
      t.status = 'result_reported';
    }
    await waitUntil(() => Date.now() > shortDeadline + 50, 'the short deadlines to pass', 15_000);
    const got = await summaryAs('registrar');
    const expected = expectedSummary(tasks, Date.now());
    expect(expected.tasks).toMatchObject({ total: 25, overdue: 3 });
    expect(comparable(got)).toEqual(expected);
    expect(got.tasks.byStatus).toMatchObject({ closed: 6, result_reported: 2, in_progress: 14, assigned: 3 });
    expect(got.byPhase.map((p) => p.phase)).toEqual(BATTLES.map((b) => b.key));
    expect(got.byPhase.every((p) => p.total === 5)).toBe(true);
  });

  // Hook (issue 16 item 6, the special report due 12月10日 with two units missing): a report request naming
  // `programmeId` and `units` goes here, after the monthly progress and before the role checks.

  it('a unit officer sees the programme with the figures of their own tasks only; an uninvolved unit does not see it', async () => {
    const unit = units[2];
    const got = await summaryAs('unit_officer', unit);
    expect(comparable(got)).toEqual(expectedSummary(tasks, Date.now(), unit));
    expect(got.byUnit.map((u) => u.unitId)).toEqual([unit]);
    await api.as('unit_officer', outsider).get(`/api/v1/programmes/${programmeId}`).expect(404);
    const theirs = await api.as('unit_officer', outsider).get('/api/v1/programmes').expect(200);
    expect(theirs.body.items).toEqual([]);
    const mine = await api.as('unit_officer', unit).get('/api/v1/programmes').expect(200);
    expect(mine.body.items.map((p: { id: string }) => p.id)).toEqual([programmeId]);
    // the issues list of the programme is scoped like any issue list
    const listed = await api.as('unit_officer', unit).get(`/api/v1/issues?programmeId=${programmeId}&limit=200`);
    const involved = tasks.filter((t) => t.lead === unit || t.co.includes(unit)).map((t) => t.id);
    expect(listed.body.items.map((i: { id: string }) => i.id).sort()).toEqual(involved.sort());
  });

  it('office roles see everything: the auditor reads the same figures as the registrar', async () => {
    expect(comparable(await summaryAs('auditor'))).toEqual(comparable(await summaryAs('registrar')));
  });

  it('lists programmes with their task figures, filtered by year and kind', async () => {
    const other = remember(
      await api
        .as('registrar')
        .post('/api/v1/programmes')
        .send(
          programmeBody({
            name: '重点工作',
            kind: 'key_work',
            year: 2027,
            period: { from: '2027-01-01', to: '2027-12-31' },
            phases: [],
          }),
        )
        .expect(201),
    );
    const all = await api.as('registrar').get(`/api/v1/programmes?minPosition=${position}`).expect(200);
    expect(all.body.items.map((p: { id: string }) => p.id)).toEqual([other.body.id, programmeId]);
    expect(all.body.items[1].tasks).toMatchObject({ total: 25, overdue: 3 });
    const of2026 = await api.as('registrar').get('/api/v1/programmes?year=2026&kind=campaign').expect(200);
    expect(of2026.body.items.map((p: { id: string }) => p.id)).toEqual([programmeId]);
    const paged = await api.as('registrar').get('/api/v1/programmes?limit=1').expect(200);
    expect(paged.body.items).toHaveLength(1);
    const next = await api
      .as('registrar')
      .get(`/api/v1/programmes?limit=1&cursor=${encodeURIComponent(paged.body.nextCursor)}`)
      .expect(200);
    expect(next.body.items.map((p: { id: string }) => p.id)).toEqual([programmeId]);
  });

  it('the summary as a workbook: totals, a row per battle and per unit, the same figures (.xlsx and ?format=xlsx)', async () => {
    const got = await summaryAs('registrar');
    const { res, header, rows } = await fetchXlsx(
      api.as('registrar').get(`/api/v1/programmes/${programmeId}.xlsx?minPosition=${position}`),
    );
    expect(res.headers['content-type']).toBe(XLSX);
    expect(header).toEqual(['维度', '名称', '任务数', '牵头任务', '逾期', '已办结', '办结率', '按期办结率']);
    expect(rows[0].slice(0, 6)).toEqual(['合计', '效能风暴行动', 25, null, got.tasks.overdue, 6]);
    expect(rows.filter((r) => r[0] === '阶段').map((r) => [r[1], r[2]])).toEqual(BATTLES.map((b) => [b.name, 5]));
    expect(rows.filter((r) => r[0] === '单位')).toHaveLength(got.byUnit.length);
    const english = await fetchXlsx(api.as('registrar').get(`/api/v1/programmes/${programmeId}?format=xlsx&lang=en`));
    expect(english.header[0]).toBe('Breakdown');
    expect(english.rows[0][0]).toBe('Total');
  });

  it("a rebuild of the read model replays the programme's rows, task copies and figures identically", async () => {
    const db = () => api.app.get(ReadModelService).db;
    const dump = () =>
      ['programme_rows', 'programme_tasks', 'programme_task_units'].map((t) =>
        db().prepare(`SELECT * FROM ${t} ORDER BY 1, 2, 3`).all(),
      );
    const before = { tables: dump(), summary: await summaryAs('registrar') };
    expect(before.tables[1]).toHaveLength(25);
    await api.as('admin').post('/api/v1/admin/projections/rebuild').send({}).expect(200);
    expect({ tables: dump(), summary: await summaryAs('registrar') }).toEqual(before);
  });

  describe('bad input, roles and idempotency', () => {
    it('refuses a bad programme with 400 naming each field, appending nothing', async () => {
      const head = await logHead(api);
      const cases: [Record<string, unknown>, string][] = [
        [{ name: '' }, 'name'],
        [{ year: 1900 }, 'year'],
        [{ kind: 'battle' }, 'kind'],
        [{ period: { from: '2026-13-01', to: '2026-12-31' } }, 'period.from'],
        [{ period: { from: '2026-12-31', to: '2026-01-01' } }, 'period.to'],
        [{ year: 2025 }, 'year'],
        [{ phases: [BATTLES[0], BATTLES[0]] }, 'phases[1].key'],
        [{ phases: [{ ...BATTLES[0], to: '2027-01-31' }] }, 'phases[0]'],
        [{ phases: [{ ...BATTLES[0], key: 'a b' }] }, 'phases[0].key'],
        [{ leadLeader: { name: '张三' } }, 'leadLeader.title'],
        [{ targets: [''] }, 'targets'],
      ];
      for (const [overrides, field] of cases) {
        const res = await api.as('registrar').post('/api/v1/programmes').send(programmeBody(overrides));
        expect({ field, status: res.status, type: res.headers['content-type'] }).toEqual({
          field,
          status: 400,
          type: expect.stringMatching(/problem\+json/),
        });
        expect(JSON.stringify(res.body)).toContain(field);
      }
      expect(await logHead(api)).toBe(head);
    });

    it('a task naming an unknown programme, an unknown phase or another kind is 400 naming the field; nothing appended', async () => {
      const head = await logHead(api);
      const base = { source: 'supervision_team', category: 'c', title: 't', description: 'd' };
      const cases: [Record<string, unknown>, string][] = [
        [{ programmeId: '00000000-0000-4000-8000-000000000000' }, 'programmeId'],
        [{ programmeId, phase: 'battle-9' }, 'phase'],
        [{ programmeId, kind: 'problem' }, 'kind'],
        [{ phase: 'battle-1' }, 'phase'],
      ];
      for (const [extra, field] of cases) {
        const res = await api
          .as('registrar')
          .post('/api/v1/issues')
          .send({ ...base, ...extra });
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(JSON.stringify(res.body)).toContain(field);
      }
      const shortcut = (body: Record<string, unknown>) =>
        api.as('registrar').post(`/api/v1/programmes/${programmeId}/tasks`).send(body);
      const task = {
        title: 't',
        leadUnitId: units[0],
        responsiblePerson: { name: 'n' },
        deadline: future(5),
        mode: 'leader',
      };
      for (const [body, field] of [
        [{ ...task, leadUnitId: '00000000-0000-4000-8000-000000000000' }, 'leadUnitId'],
        [{ ...task, coUnitIds: [units[1], '00000000-0000-4000-8000-000000000000'] }, 'coUnitIds[1]'],
        [{ ...task, deadline: undefined }, 'deadline'],
        [{ ...task, deadlineWorkingDays: 5 }, 'deadline'],
        [{ ...task, phase: 'battle-0' }, 'phase'],
        [{ ...task, title: undefined }, 'title'],
      ] as const) {
        const res = await shortcut(body);
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(JSON.stringify(res.body)).toContain(field);
      }
      expect(await logHead(api)).toBe(head);
    });

    it('unknown ids are 404: GET, .xlsx and the tasks shortcut', async () => {
      const unknown = '00000000-0000-4000-8000-000000000001';
      await api.as('registrar').get(`/api/v1/programmes/${unknown}`).expect(404);
      await api.as('registrar').get(`/api/v1/programmes/${unknown}.xlsx`).expect(404);
      await api.as('registrar').get('/api/v1/programmes/not-a-uuid').expect(404);
      const head = await logHead(api);
      await api
        .as('registrar')
        .post(`/api/v1/programmes/${unknown}/tasks`)
        .send({
          title: 't',
          leadUnitId: units[0],
          responsiblePerson: { name: 'n' },
          deadline: future(5),
          mode: 'leader',
        })
        .expect(404);
      expect(await logHead(api)).toBe(head);
    });

    it.each(['unit_officer', 'assessor', 'auditor', 'supervisor'] as const)(
      'a %s may not create programmes or tasks: 403 and nothing appended',
      async (role) => {
        const head = await logHead(api);
        const create = await api.as(role, units[0]).post('/api/v1/programmes').send(programmeBody());
        expect(create.status).toBe(403);
        expect(create.headers['content-type']).toMatch(/problem\+json/);
        const task = await api
          .as(role, units[0])
          .post(`/api/v1/programmes/${programmeId}/tasks`)
          .send({
            title: 't',
            leadUnitId: units[0],
            responsiblePerson: { name: 'n' },
            deadline: future(5),
            mode: 'leader',
          });
        expect(task.status).toBe(403);
        expect(await logHead(api)).toBe(head);
      },
    );

    it('a retry under the same Idempotency-Key answers the first programme and task again, appending nothing', async () => {
      const first = await api
        .as('registrar')
        .post('/api/v1/programmes')
        .set('Idempotency-Key', 'programme-once')
        .send(programmeBody({ name: '只建一次' }))
        .expect(201);
      const head = await logHead(api);
      const again = await api
        .as('registrar')
        .post('/api/v1/programmes')
        .set('Idempotency-Key', 'programme-once')
        .send(programmeBody({ name: '只建一次' }))
        .expect(201);
      expect(again.body).toEqual(first.body);
      expect(await logHead(api)).toBe(head);
      const task = {
        title: '一次',
        leadUnitId: units[0],
        responsiblePerson: { name: 'n' },
        deadline: future(9),
        mode: 'leader',
      };
      const t1 = await api
        .as('registrar')
        .post(`/api/v1/programmes/${first.body.id}/tasks`)
        .set('Idempotency-Key', 'task-once')
        .send(task)
        .expect(201);
      const afterTask = await logHead(api);
      const t2 = await api
        .as('registrar')
        .post(`/api/v1/programmes/${first.body.id}/tasks`)
        .set('Idempotency-Key', 'task-once')
        .send(task)
        .expect(201);
      expect(t2.body).toEqual(t1.body);
      expect(await logHead(api)).toBe(afterTask);
    });
  });
});
