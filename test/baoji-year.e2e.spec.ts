import ExcelJS from 'exceljs';
import { startTestApi, TestApi } from './support/api';
import { createUnit, future, issueBody } from './support/fixtures';
import { logHead } from './support/log-head';

/**
 * A Baoji-like year (四动四改, DESIGN §2.5) in miniature: issues from many sources assigned at three meetings (交办会),
 * some jointly with partner agencies (联合交办), others resolved on the spot (立行立改) so that resolved exceeds
 * assigned, inspections (明察暗访) registering findings, notices (通报) and lists. `/stats` — on both bases and as a
 * workbook — must equal a count kept by the test itself.
 */
describe('a Baoji-like year: /stats equals an independent count', () => {
  let api: TestApi;
  let position = 0;
  const units: string[] = [];
  const track = <T extends { body: { position?: number; results?: { position?: number }[] } }>(res: T): T => {
    for (const p of [res.body.position, ...(res.body.results ?? []).map((r) => r.position)])
      if (typeof p === 'number') position = Math.max(position, p);
    return res;
  };
  const post = async (role: Parameters<TestApi['as']>[0], path: string, body: object, unit?: string, key?: string) => {
    const req = api.as(role, unit).post(`/api/v1${path}`);
    if (key) req.set('Idempotency-Key', key);
    return track(await req.send(body));
  };
  const stats = async (query = '') =>
    (await api.as('auditor').get(`/api/v1/stats?minPosition=${position}${query}`).expect(200)).body;

  // the independent count
  const tally = {
    total: 0,
    assigned: 0,
    resolvedOnSpot: 0,
    closedAfterRectification: 0,
    reopened: 0,
    bySource: {} as Record<string, number>,
    byCategory: {} as Record<string, number>,
    byMode: {} as Record<string, number>,
    byPartnerAgency: {} as Record<string, number>,
  };
  const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);
  const issues: { id: string; unit: string }[] = [];

  async function register(source: string, category: string, extra: object = {}) {
    const res = await post('registrar', '/issues', issueBody({ source, category, ...extra }));
    expect(res.status).toBe(201);
    tally.total++;
    bump(tally.bySource, source);
    bump(tally.byCategory, category);
    return res.body.id as string;
  }

  let start: string;
  beforeAll(async () => {
    api = await startTestApi();
    start = new Date().toISOString();
    for (let i = 0; i < 5; i++) units.push(await createUnit(api, `BJ${i}`, `宝鸡单位${i}`));
  });
  afterAll(async () => api.close());

  const SOURCES = ['petition', 'supervision_team', 'self_inspection', 'hotline'];
  const CATEGORIES = ['作风建设', '营商环境', '民生服务'];
  const AGENCIES = ['市信访局', '市考核办', '市审计局'];
  const MEETINGS = [
    { date: '2026-03-02', name: '第一次集中交办会', presidedBy: { name: '张三', title: '市委副书记' } },
    { date: '2026-05-11', name: '第二次集中交办会', presidedBy: { name: '李四', title: '市纪委书记' } },
    { date: '2026-08-20', presidedBy: { name: '王五', title: '副市长' } },
  ];

  it('assigns at three meetings, item by item; one bad item does not stop the others; a retry appends nothing', async () => {
    for (let i = 0; i < 30; i++) {
      const unit = units[i % units.length];
      const id = await register(SOURCES[i % SOURCES.length], CATEGORIES[i % CATEGORIES.length], {
        ...(i % 9 === 0 ? { forwardedBy: { name: '市长', instruction: '请督查室跟踪督办' } } : {}),
      });
      issues.push({ id, unit });
    }
    const sizes = [12, 10, 8];
    let from = 0;
    for (const [m, size] of sizes.entries()) {
      const batch = issues.slice(from, from + size);
      from += size;
      const items = batch.map(({ id, unit }, j) => {
        // every third item is assigned jointly: with one agency, or two at the second meeting
        const agencies = j % 3 === 0 ? (m === 1 && j % 2 === 0 ? [AGENCIES[1], AGENCIES[2]] : [AGENCIES[m]]) : [];
        return {
          issueId: id,
          leadUnitId: unit,
          responsiblePerson: { name: '责任人', title: '局长' },
          deadlineWorkingDays: 15,
          mode: agencies.length ? 'joint' : m === 0 ? 'leader' : 'counterpart',
          ...(agencies.length ? { partnerAgencies: agencies } : {}),
          instructions: '限期整改',
        };
      });
      const bad = [
        { ...items[0], issueId: '00000000-0000-4000-8000-000000000000' }, // no such issue: 404
        { ...items[1], responsiblePerson: undefined, issueId: batch[1].id }, // invalid: 400
      ];
      const key = `meeting-${m}`;
      const body = { meeting: MEETINGS[m], items: [...items, ...bad, items[2]] }; // items[2] twice: 409 the second time
      const res = await post('registrar', '/assignment-batches', body, undefined, key);
      expect(res.status).toBe(201);
      const { results, batchId } = res.body as {
        batchId: string;
        results: { status: number; problem?: { errors?: { field: string }[]; state?: string } }[];
      };
      expect(results.map((r) => r.status)).toEqual([...items.map(() => 200), 404, 400, 409]);
      expect(results[items.length + 1].problem!.errors!.map((e) => e.field)).toContain(
        `items[${items.length + 1}].responsiblePerson`,
      );
      expect(results[items.length + 2].problem!.state).toBe('assigned');
      for (const item of items) {
        tally.assigned++;
        bump(tally.byMode, item.mode);
        for (const a of item.partnerAgencies ?? []) bump(tally.byPartnerAgency, a);
      }
      // the same batch again under its key: the same answer, nothing appended
      const head = await logHead(api);
      const again = await post('registrar', '/assignment-batches', body, undefined, key);
      expect(again.status).toBe(201);
      expect(again.body).toEqual(res.body);
      expect(await logHead(api)).toBe(head);
      // the meeting is on the assignment, in the issue's history
      const history = (await api.as('registrar').get(`/api/v1/issues/${batch[0].id}/history`).expect(200)).body;
      const assigned = history.events.find((e: { type: string }) => e.type === 'IssueAssigned');
      expect(assigned.data.batch).toEqual({ batchId, meeting: MEETINGS[m] });
    }
  });

  it('resolves on the spot and records inspections whose findings become issues', async () => {
    for (let i = 0; i < 8; i++) {
      const id = await register('self_inspection', CATEGORIES[i % 3]);
      if (i % 2) await post('registrar', `/issues/${id}/triage`, { priority: 'high' });
      const res = await post('registrar', `/issues/${id}/resolve-on-spot`, { summary: '当场整改到位' });
      expect(res.status).toBe(200);
      tally.resolvedOnSpot++;
    }
    const kinds = ['open', 'undercover', 'special'] as const;
    for (const [k, kind] of kinds.entries()) {
      const inspection = await post('registrar', '/inspections', {
        kind,
        date: `2026-0${k + 4}-15`,
        team: ['督查组甲', '督查组乙'],
        unitIds: [units[k], units[k + 1]],
      });
      expect(inspection.status).toBe(201);
      for (const unitId of [units[k], units[k + 1]]) {
        const finding = await post('registrar', `/inspections/${inspection.body.id}/findings`, {
          unitId,
          title: '窗口人员脱岗',
          description: '暗访发现工作时间窗口无人',
          category: '作风建设',
        });
        expect(finding.status).toBe(201);
        tally.total++;
        bump(tally.bySource, kind === 'undercover' ? 'undercover_visit' : 'inspection');
        bump(tally.byCategory, '作风建设');
        // a finding fixed at once counts as resolved on the spot too
        if (unitId === units[k]) {
          expect(
            (await post('registrar', `/issues/${finding.body.issueId}/resolve-on-spot`, { summary: '立行立改' }))
              .status,
          ).toBe(200);
          tally.resolvedOnSpot++;
        }
      }
    }
  });

  /** of the 30 assigned, 24 report a result: 22 are accepted and closed, 2 reopened */
  const RECTIFIED = 24;
  const CLOSED = 22;
  let midYear: string;
  it('rectifies, closes, reopens, lists and notifies', async () => {
    await new Promise((r) => setTimeout(r, 5));
    midYear = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    for (const [i, { id, unit }] of issues.entries()) {
      if (i >= RECTIFIED) continue;
      expect((await post('unit_officer', `/issues/${id}/result`, { summary: '已整改' }, unit)).status).toBe(200);
      if (i < CLOSED) {
        expect((await post('assessor', `/issues/${id}/assessments`, { verdict: 'satisfied' })).status).toBe(200);
        expect((await post('registrar', `/issues/${id}/close`, {})).status).toBe(200);
        tally.closedAfterRectification++;
      } else {
        const res = await post('assessor', `/issues/${id}/assessments`, {
          verdict: 'unsatisfied',
          newDeadline: future(20),
        });
        expect(res.status).toBe(200);
        tally.reopened++;
      }
    }
    for (const i of [0, 1, 2])
      expect((await post('registrar', `/issues/${issues[i].id}/lists`, { list: 'red', reason: '典型' })).status).toBe(
        200,
      );
    expect((await post('registrar', `/issues/${issues[27].id}/lists`, { list: 'black', reason: '推诿' })).status).toBe(
      200,
    );
    for (const unitIds of [
      [units[1], units[2]],
      [units[2], units[3]],
    ]) {
      const notice = await post('registrar', '/notices', {
        kind: 'criticism',
        title: '通报',
        body: '现予通报批评',
        unitIds,
      });
      expect(notice.status).toBe(201);
      expect((await post('registrar', `/notices/${notice.body.id}/publish`, {})).status).toBe(200);
    }
  });

  it('GET /stats equals the count: resolved exceeds assigned, partner agencies, modes, categories, inspections, notices', async () => {
    const resolved = tally.closedAfterRectification + tally.resolvedOnSpot;
    const s = await stats();
    expect(s).toMatchObject({
      basis: 'registered',
      total: tally.total,
      assigned: tally.assigned,
      resultReported: RECTIFIED,
      closed: resolved,
      resolved,
      resolvedOnSpot: tally.resolvedOnSpot,
      reopened: tally.reopened,
      redListed: 3,
      blackListed: 1,
      inspections: 3,
      noticesIssued: 2,
      unitsNotified: 3,
      byMode: tally.byMode,
      byPartnerAgency: tally.byPartnerAgency,
      byCategory: tally.byCategory,
      // on-the-spot resolutions had no deadline: the rate is over the rectified ones, all on time
      onTimeRate: 1,
    });
    expect(s.resolved).toBeGreaterThan(s.assigned);
    for (const [source, n] of Object.entries(tally.bySource)) expect(s.bySource[source]).toBe(n);
    expect(Object.keys(s.byPartnerAgency).sort()).toEqual([...AGENCIES].sort());
  });

  it('basis=event counts what happened in the window, whatever the registration', async () => {
    const now = new Date(Date.now() + 60_000).toISOString();
    const firstHalf = await stats(`&basis=event&from=${start}&to=${midYear}`);
    expect(firstHalf).toMatchObject({
      basis: 'event',
      assigned: tally.assigned,
      resultReported: 0,
      resolved: tally.resolvedOnSpot,
      resolvedOnSpot: tally.resolvedOnSpot,
      closed: tally.resolvedOnSpot,
      reopened: 0,
      byMode: tally.byMode,
      byPartnerAgency: tally.byPartnerAgency,
    });
    const secondHalf = await stats(`&basis=event&from=${midYear}&to=${now}`);
    expect(secondHalf).toMatchObject({
      assigned: 0,
      resultReported: RECTIFIED,
      resolved: tally.closedAfterRectification,
      resolvedOnSpot: 0,
      reopened: tally.reopened,
      redListed: 3,
      blackListed: 1,
      satisfaction: { satisfied: CLOSED, basically_satisfied: 0, unsatisfied: RECTIFIED - CLOSED },
      byMode: {},
      byPartnerAgency: {},
      onTimeRate: 1,
    });
    // the issues registered in the window are described as they stand, whatever happened to them
    expect(secondHalf.total).toBe(0);
    expect(firstHalf.total).toBe(tally.total);
    // a window of whole days (read from the per-day sums) and two partial ones at its edges counts the same
    const allTime = await stats('&basis=event');
    const around = await stats(
      `&basis=event&from=${new Date(Date.now() - 30 * 3_600_000).toISOString()}&to=${new Date(Date.now() + 30 * 3_600_000).toISOString()}`,
    );
    for (const figures of [allTime, around])
      expect(figures).toMatchObject({
        assigned: tally.assigned,
        resolved: tally.resolvedOnSpot + tally.closedAfterRectification,
        resolvedOnSpot: tally.resolvedOnSpot,
        reopened: tally.reopened,
        byPartnerAgency: tally.byPartnerAgency,
        satisfaction: allTime.satisfaction,
      });
    const before = await stats(`&basis=event&from=2020-01-01T00:00:00Z&to=2021-01-01T00:00:00Z`);
    expect(before).toMatchObject({ total: 0, assigned: 0, resolved: 0, closed: 0, byMode: {} });
    // one unit's figures: its issues only
    const unitStats = await stats(`&basis=event&unitId=${units[0]}`);
    expect(unitStats.assigned).toBe(issues.filter((i) => i.unit === units[0]).length);
  });

  it('GET /stats.xlsx holds the same figures, one sheet per breakdown', async () => {
    const res = await api
      .as('auditor')
      .get('/api/v1/stats.xlsx?lang=en')
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.body as Parameters<typeof workbook.xlsx.load>[0]);
    const s = await stats();
    const figures = new Map<string, unknown>();
    workbook.getWorksheet('Figures')!.eachRow((row) => figures.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(figures.get('Resolved')).toBe(s.resolved);
    expect(figures.get('Assigned')).toBe(s.assigned);
    expect(figures.get('Inspections')).toBe(s.inspections);
    const agencies = new Map<string, unknown>();
    workbook.getWorksheet('By partner agency')!.eachRow((row, n) => {
      if (n > 1) agencies.set(String(row.getCell(1).value), row.getCell(2).value);
    });
    expect(Object.fromEntries(agencies)).toEqual(s.byPartnerAgency);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Figures',
      'By status',
      'By source',
      'By category',
      'By mode',
      'By partner agency',
      'By programme',
      'By lead unit',
      'By month',
      'Escalations',
      'Assessments',
      'Reporter feedback',
    ]);
  });
});
