import { DateTime } from 'luxon';
import { startTestApi, TestApi } from './support/api';
import { createUnit } from './support/fixtures';

describe('the unit directory over HTTP', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => api.close());

  it('creates units with a unique code, lists them (read-your-writes) and shows one with its ETag', async () => {
    const city = await api.as('admin').post('/api/v1/units').send({ code: 'CITY', name: '市政府' }).expect(201);
    const bureau = await api
      .as('admin')
      .post('/api/v1/units')
      .send({
        code: 'ZJJ',
        name: '市住建局',
        parentId: city.body.id,
        head: { name: '赵六', title: '局长' },
        contacts: { email: 'zjj@example.gov.cn' },
      })
      .expect(201);
    const duplicate = await api.as('admin').post('/api/v1/units').send({ code: 'zjj', name: '重复' }).expect(409);
    expect(duplicate.body.detail).toMatch(/code zjj already exists/);

    const list = await api
      .as('unit_officer', bureau.body.id)
      .get(`/api/v1/units?minPosition=${bureau.body.position}`)
      .expect(200);
    expect(list.body.items.map((u: { code: string }) => u.code)).toEqual(['CITY', 'ZJJ']);
    expect(list.body.items[1]).toMatchObject({
      name: '市住建局',
      parentId: city.body.id,
      head: { name: '赵六' },
      status: 'active',
    });

    const one = await api.as('auditor').get(`/api/v1/units/${bureau.body.id}`).expect(200);
    expect(one.headers.etag).toBe('"0"');
    expect(one.body).toMatchObject({ code: 'ZJJ', contacts: { email: 'zjj@example.gov.cn' } });
  });

  it('pages with a cursor and filters by q', async () => {
    for (const code of ['P1', 'P2', 'P3']) await createUnit(api, code, `分页 ${code}`);
    const head = await api.as('admin').post('/api/v1/units').send({ code: 'P4', name: '分页 P4' }).expect(201);
    const first = await api
      .as('admin')
      .get(`/api/v1/units?q=${encodeURIComponent('分页')}&limit=2&minPosition=${head.body.position}`)
      .expect(200);
    expect(first.body.items.map((u: { code: string }) => u.code)).toEqual(['P1', 'P2']);
    const second = await api
      .as('admin')
      .get(`/api/v1/units?q=${encodeURIComponent('分页')}&limit=2&cursor=${first.body.nextCursor}`)
      .expect(200);
    expect(second.body.items.map((u: { code: string }) => u.code)).toEqual(['P3', 'P4']);
    expect(second.body.nextCursor).toBeNull();
    await api.as('admin').get('/api/v1/units?limit=abc').expect(400);
    await api.as('admin').get('/api/v1/units?unknown=1').expect(400);
  });

  it('answers 503 with Retry-After when the read model cannot reach minPosition in time', async () => {
    const res = await api.as('admin').get('/api/v1/units?minPosition=999999999').expect(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  }, 15_000);

  it('renames, moves (refusing cycles), sets head and contacts, deactivates; a deactivated unit cannot be assigned', async () => {
    const a = await createUnit(api, 'CYC-A');
    const b = await createUnit(api, 'CYC-B', 'B', { parentId: a });
    await api.as('admin').post(`/api/v1/units/${a}/rename`).send({ name: '新名称' }).expect(200);
    const cycle = await api.as('admin').post(`/api/v1/units/${a}/move`).send({ parentId: b }).expect(400);
    expect(cycle.body.errors[0]).toMatchObject({ field: 'parentId' });
    await api.as('admin').post(`/api/v1/units/${a}/head`).send({ name: '钱七' }).expect(200);
    await api
      .as('admin')
      .post(`/api/v1/units/${a}/contacts`)
      .send({ webhookUrl: 'https://oa.example.gov.cn/h' })
      .expect(200);
    await api.as('admin').post(`/api/v1/units/${b}/deactivate`).send({ reason: '撤并' }).expect(200);
    await api.as('admin').post(`/api/v1/units/${b}/rename`).send({ name: 'x' }).expect(409);
    expect((await api.as('admin').get(`/api/v1/units/${a}`)).body).toMatchObject({
      name: '新名称',
      head: { name: '钱七' },
      contacts: { webhookUrl: 'https://oa.example.gov.cn/h' },
    });
    const issue = await api
      .as('registrar')
      .post('/api/v1/issues')
      .send({ source: 'audit', category: 'c', title: 't', description: 'd' })
      .expect(201);
    const refused = await api
      .as('registrar')
      .post(`/api/v1/issues/${issue.body.id}/assign`)
      .send({ leadUnitId: b, responsiblePerson: { name: 'n' }, deadlineWorkingDays: 5, mode: 'leader' })
      .expect(400);
    expect(refused.body.errors[0]).toMatchObject({ field: 'leadUnitId' });
    await api
      .as('registrar')
      .post(`/api/v1/issues/${issue.body.id}/assign`)
      .send({
        leadUnitId: '00000000-0000-4000-8000-000000000000',
        responsiblePerson: { name: 'n' },
        deadlineWorkingDays: 5,
        mode: 'leader',
      })
      .expect(400);
    await api
      .as('registrar')
      .post(`/api/v1/issues/${issue.body.id}/assign`)
      .send({
        leadUnitId: a,
        responsiblePerson: { name: 'n' },
        deadline: new Date(Date.now() + 86_400_000).toISOString(),
        deadlineWorkingDays: 5,
        mode: 'leader',
      })
      .expect(400);
    const assigned = await api
      .as('registrar')
      .post(`/api/v1/issues/${issue.body.id}/assign`)
      .send({ leadUnitId: a, responsiblePerson: { name: 'n' }, deadlineWorkingDays: 5, mode: 'leader' })
      .expect(200);
    expect(assigned.body.revision).toBe(1);
    const state = (await api.as('registrar').get(`/api/v1/issues/${issue.body.id}`)).body;
    expect(state.deadlineWorkingDays).toBe(5);
  });

  it('a deadline of 5 working days ends at the end of the 5th working day in the agency zone, skipping a holiday and counting a 调休 weekend day', async () => {
    // the API counts from its own clock: the window starts today, so the schedule is laid over it
    const zone = api.config.tzAgency;
    const today = DateTime.now().setZone(zone).startOf('day');
    const window = Array.from({ length: 21 }, (_, k) => today.plus({ days: k + 1 }));
    const holiday = window.find((d) => d.weekday <= 5)!;
    const makeUp = window.find((d) => d.weekday >= 6)!;
    for (const year of new Set(window.map((d) => d.year))) {
      const inYear = (d: DateTime) => (d.year === year ? [d.toISODate()!] : []);
      await api.http
        .put(`/api/v1/admin/calendar/${year}`)
        .set('Authorization', `Bearer ${api.token('admin')}`)
        .send({
          // a year's schedule lists some day off: mid-June is outside any window at the turn of a year
          holidays: inYear(holiday).length ? inYear(holiday) : [`${year}-06-15`],
          workdays: inYear(makeUp),
          source: 'e2e: 一个节假日与一个调休上班日',
        })
        .expect(200);
    }
    const unit = await createUnit(api, 'WD-1');
    const issue = await api
      .as('registrar')
      .post('/api/v1/issues')
      .send({ source: 'audit', category: 'c', title: 't', description: 'd' })
      .expect(201);
    const assigned = await api
      .as('registrar')
      .post(`/api/v1/issues/${issue.body.id}/assign`)
      .send({ leadUnitId: unit, responsiblePerson: { name: 'n' }, deadlineWorkingDays: 5, mode: 'leader' })
      .expect(200);
    // counted from the command's own time (its local date), read back from the log
    const history = (await api.as('registrar').get(`/api/v1/issues/${issue.body.id}/history`)).body.events;
    const start = DateTime.fromISO(history[history.length - 1].recordedAt, { zone }).startOf('day');
    expect(start.toISODate()).toBe(today.toISODate());
    // working: a weekday but the holiday, or the make-up weekend day
    const working = window.filter((d) => (d.weekday <= 5 && !d.equals(holiday)) || d.equals(makeUp));
    const fifth = working[4];
    expect(holiday < fifth && makeUp < fifth).toBe(true);
    const expected = fifth.endOf('day').toUTC().toISO();
    expect(assigned.body.deadline).toBe(expected);
    expect((await api.as('registrar').get(`/api/v1/issues/${issue.body.id}`)).body.deadline).toBe(expected);
  });

  it('only admins write the directory', async () => {
    for (const role of ['registrar', 'assessor', 'auditor'] as const) {
      await api
        .as(role)
        .post('/api/v1/units')
        .send({ code: `X-${role}`, name: 'x' })
        .expect(403);
    }
  });
});
