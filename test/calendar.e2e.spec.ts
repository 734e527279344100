import { EVENT_STORE, EventStore } from '@duban/event-store';
import { statutoryHolidays } from '@duban/domain';
import { startTestApi, TestApi } from './support/api';
import { createUnit, registerIssue } from './support/fixtures';

/**
 * Next year's schedule is published in November or December: until then a working-day deadline counted into
 * it knows only the statutory holidays and says so (`deadlineProvisional`); an admin loads the official
 * schedule at runtime, audited as an event, and the calendar in force changes with no restart.
 */
describe('working days across the year boundary: provisional years and the official schedule loaded at runtime', () => {
  let api: TestApi;
  let unit: string;
  const next = new Date().getUTCFullYear() + 1;
  const put = (year: number | string, body: unknown, role: 'admin' | 'registrar' = 'admin') =>
    api.http
      .put(`/api/v1/admin/calendar/${year}`)
      .set('Authorization', `Bearer ${api.token(role)}`)
      .send(body as object);
  const head = () => (api.app.get(EVENT_STORE) as EventStore).headPosition();
  // the statutory days of next year with one made-up 调休 Saturday: what an official notice looks like
  const official = () => {
    const holidays = statutoryHolidays(next).map((d) => d.date);
    const firstSaturday = [...Array(14).keys()]
      .map((i) => new Date(Date.UTC(next, 1, 1 + i)))
      .find((d) => d.getUTCDay() === 6 && !holidays.includes(d.toISOString().slice(0, 10)))!;
    return {
      holidays,
      workdays: [firstSaturday.toISOString().slice(0, 10)],
      source: `国务院办公厅关于${next}年部分节假日安排的通知`,
    };
  };

  beforeAll(async () => {
    api = await startTestApi();
    unit = await createUnit(api, 'CAL01', '市民政局');
  });
  afterAll(async () => api.close());

  it('lists next year as provisional (statutory holidays only) and this year with its published schedule', async () => {
    const { body } = await api.as('admin').get('/api/v1/admin/calendar').expect(200);
    const byYear = new Map(
      (body.items as { year: number; provisional: boolean; source: string }[]).map((y) => [y.year, y]),
    );
    expect(byYear.get(next)).toMatchObject({ provisional: true, source: 'statutory' });
    expect(byYear.get(2026)).toMatchObject({ provisional: false, source: 'shipped' });
    await api.as('unit_officer', unit).get('/api/v1/admin/calendar').expect(403);
  });

  it('a working-day deadline counted into next year is marked provisional in the answer and on the issue', async () => {
    const id = await registerIssue(api);
    const assigned = await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/assign`)
      .send({ leadUnitId: unit, responsiblePerson: { name: '王五' }, deadlineWorkingDays: 250, mode: 'counterpart' })
      .expect(200);
    expect(assigned.body).toMatchObject({ deadlineProvisional: true, deadline: expect.any(String) });
    const issue = await api.as('registrar').get(`/api/v1/issues/${id}`).expect(200);
    expect(issue.body).toMatchObject({ deadlineProvisional: true, deadlineProvisionalYears: [next] });

    const byInstant = await registerIssue(api);
    const instant = await api
      .as('registrar')
      .post(`/api/v1/issues/${byInstant}/assign`)
      .send({
        leadUnitId: unit,
        responsiblePerson: { name: '王五' },
        deadline: `${next}-03-01T00:00:00Z`,
        mode: 'counterpart',
      })
      .expect(200);
    expect(instant.body.deadlineProvisional).toBe(false);
  });

  it.each([
    [
      'a date outside its year',
      (o: ReturnType<typeof official>) => ({ ...o, holidays: [...o.holidays, `${next + 1}-01-01`] }),
      `${next + 1}-01-01`,
    ],
    [
      'a weekday as a make-up day',
      (o: ReturnType<typeof official>) => ({ ...o, workdays: [weekdayOf(next)] }),
      weekdayOf(next),
    ],
    [
      'a holiday that is also a workday',
      (o: ReturnType<typeof official>) => ({ ...o, workdays: [...o.workdays, o.holidays[0]] }),
      `${next}-01-01`,
    ],
    ['a malformed date', (o: ReturnType<typeof official>) => ({ ...o, holidays: ['2027-13-45'] }), 'holidays'],
  ])('refuses %s with 400 naming the date, and appends nothing', async (_, broken, named) => {
    const before = await head();
    const answer = await put(next, broken(official())).expect(400);
    expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(answer.body)).toContain(named);
    expect(await head()).toBe(before);
  });

  it('refuses an unknown field, a non-admin and a year that is not a number', async () => {
    const before = await head();
    const unknown = await put(next, { ...official(), bridges: [] }).expect(400);
    expect(JSON.stringify(unknown.body)).toContain('bridges');
    await put(next, official(), 'registrar').expect(403);
    await put('next-year', official()).expect(400);
    expect(await head()).toBe(before);
  });

  it('loads the official schedule: audited as an event, the year is no longer provisional, a second identical PUT appends nothing', async () => {
    const loaded = await put(next, official()).expect(200);
    expect(loaded.body).toMatchObject({ id: String(next), revision: 0 });
    const after = await head();
    const again = await put(next, official()).expect(200);
    expect(again.body.revision).toBe(0);
    expect(await head()).toBe(after);

    const { body } = await api.as('admin').get('/api/v1/admin/calendar').expect(200);
    const year = (body.items as { year: number }[]).find((y) => y.year === next);
    expect(year).toMatchObject({ provisional: false, source: 'runtime' });
    const events = await api.as('auditor').get(`/api/v1/audit/streams/calendar-${next}`).expect(200);
    expect(JSON.stringify(events.body)).toContain('CalendarYearLoaded');
  });
});

/** A Monday–Friday of that year that is no statutory holiday. */
function weekdayOf(year: number): string {
  const holidays = new Set(statutoryHolidays(year).map((d) => d.date));
  for (let day = 1; ; day++) {
    const date = new Date(Date.UTC(year, 2, day));
    const iso = date.toISOString().slice(0, 10);
    if (date.getUTCDay() >= 1 && date.getUTCDay() <= 5 && !holidays.has(iso)) return iso;
  }
}
