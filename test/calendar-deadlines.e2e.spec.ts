import { Queue } from 'bullmq';
import { statutoryHolidays, workingCalendarFrom } from '@duban/domain';
import { DeadlineScheduler } from '../apps/worker/src/deadlines/deadline-scheduler';
import { startTestApi, TestApi } from './support/api';
import { createUnit, registerIssue } from './support/fixtures';
import { startWorker, WorkerProcess } from './support/worker-process';
import { history, uniquePrefix, workerEnv } from './support/deadline-env';
import { waitUntil } from './support/wait';

/**
 * A deadline counted into a year whose schedule is not published yet moves when the official schedule is
 * loaded: the worker counts it again from its start, records a new deadline version with the reason
 * `calendar` exactly once (also across a SIGKILL), and the reminder ladder is rescheduled for it.
 * A deadline given as an instant never moves.
 */
describe('deadlines follow the calendar: a loaded schedule re-derives working-day deadlines once', () => {
  let api: TestApi;
  let worker: WorkerProcess;
  let queue: Queue;
  let unit: string;
  const next = new Date().getUTCFullYear() + 1;
  const WORKING_DAYS = 250;
  const policy = { DEADLINE_REMINDERS: 'P3D,P1D,PT0S', DEADLINE_ESCALATIONS: 'PT0S,P7D,P15D,P30D' };
  // the official schedule: the statutory days, plus the first ordinary weekday of the year as an extra day off
  const extraDayOff = firstOrdinaryWeekday(next);
  const schedule = {
    holidays: [...statutoryHolidays(next).map((d) => d.date), extraDayOff].sort(),
    workdays: [],
    source: `国务院办公厅关于${next}年部分节假日安排的通知 (test)`,
  };

  beforeAll(async () => {
    api = await startTestApi({ ...policy, QUEUE_PREFIX: uniquePrefix('calendar') });
    unit = await createUnit(api, 'CALW1', '市交通局');
    worker = startWorker(workerEnv(api, policy));
    await worker.waitFor('worker processing queues');
    queue = new Queue('deadlines', { connection: { url: api.config.redisUrl }, prefix: api.config.queuePrefix });
  });

  afterAll(async () => {
    await queue?.close();
    await worker?.stop();
    await api?.close();
  });

  const assign = async (body: Record<string, unknown>) => {
    const id = await registerIssue(api);
    const answer = await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/assign`)
      .send({ leadUnitId: unit, responsiblePerson: { name: '王五' }, mode: 'counterpart', ...body })
      .expect(200);
    return { id, answer: answer.body as { deadline: string; deadlineProvisional: boolean } };
  };
  const issue = async (id: string) => (await api.as('registrar').get(`/api/v1/issues/${id}`).expect(200)).body;
  const rederived = async (id: string) => (await history(api, id)).filter((e) => e.type === 'DeadlineRederived');

  it('moves the working-day deadline by the extra day off, once, as version 2 with reason calendar; the ladder follows', async () => {
    const byDays = await assign({ deadlineWorkingDays: WORKING_DAYS });
    const byInstant = await assign({ deadline: `${next}-06-30T10:00:00Z` });
    expect(byDays.answer.deadlineProvisional).toBe(true);
    const before = await issue(byDays.id);
    expect(before.deadlineVersion).toBe(1);

    await api.http
      .put(`/api/v1/admin/calendar/${next}`)
      .set('Authorization', `Bearer ${api.token('admin')}`)
      .send(schedule)
      .expect(200);
    await waitUntil(async () => (await rederived(byDays.id)).length > 0, 'the re-derived deadline', 20_000);

    const after = await issue(byDays.id);
    // counted again from the assignment's time against the loaded schedule
    const expected = workingCalendarFrom({ loaded: [{ year: next, ...schedule }] }).addWorkingDays(
      before.assignedAt,
      WORKING_DAYS,
      'Asia/Shanghai',
    );
    expect(after).toMatchObject({ deadline: expected, deadlineVersion: 2, deadlineProvisional: false });
    expect(Date.parse(after.deadline)).toBeGreaterThan(Date.parse(before.deadline));
    // one more day off moves it by one working day: at most four calendar days (a weekend and a holiday between)
    expect(Date.parse(after.deadline) - Date.parse(before.deadline)).toBeLessThanOrEqual(4 * 86_400_000);
    const [event] = await rederived(byDays.id);
    expect(event.data).toMatchObject({ reason: 'calendar', calendarYear: next, previousDeadline: before.deadline });
    expect(event.actor).toMatchObject({ id: 'system:worker' });
    expect(after.deadlineHistory.at(-1)).toMatchObject({ because: 'calendar', deadlineVersion: 2 });

    // the ladder follows: a job wakes the worker when version 2's reminder is due, at the new deadline (version 1's
    // second may still fire, and finds nothing of this issue: the processor reads the running version, see
    // deadline-batches.e2e.spec.ts)
    const reminderDue = Date.parse(expected) - 86_400_000;
    await waitUntil(
      async () => (await queue.getJob(DeadlineScheduler.secondJobId(reminderDue))) !== undefined,
      'the version 2 reminder job',
      20_000,
    );
    const job = await queue.getJob(DeadlineScheduler.secondJobId(reminderDue));
    expect(job!.data.from <= reminderDue && reminderDue < job!.data.to).toBe(true);

    // an instant deadline never moves
    expect(await issue(byInstant.id)).toMatchObject({ deadline: `${next}-06-30T10:00:00.000Z`, deadlineVersion: 1 });
    expect(await rederived(byInstant.id)).toEqual([]);
  }, 60_000);

  it('records it only once: a SIGKILLed worker restarted and the same schedule loaded again add nothing', async () => {
    const { id } = await assign({ deadlineWorkingDays: WORKING_DAYS + 1 });
    // loaded before this assignment: counted with the official schedule already, nothing to re-derive
    expect((await issue(id)).deadlineProvisional).toBe(false);
    await worker.stop('SIGKILL');
    worker = startWorker(workerEnv(api, policy));
    await worker.waitFor('worker processing queues');
    await api.http
      .put(`/api/v1/admin/calendar/${next}`)
      .set('Authorization', `Bearer ${api.token('admin')}`)
      .send(schedule)
      .expect(200);
    const all = (await api.as('auditor').get('/api/v1/audit/events?fromPosition=0&limit=1000').expect(200)).body;
    const count = JSON.stringify(all).split('"DeadlineRederived"').length - 1;
    expect(count).toBe(1);
    expect(await rederived(id)).toEqual([]);
  }, 60_000);
});

/** The first Monday–Friday of the year that is no statutory holiday. */
function firstOrdinaryWeekday(year: number): string {
  const holidays = new Set(statutoryHolidays(year).map((d) => d.date));
  for (let day = 1; ; day++) {
    const date = new Date(Date.UTC(year, 0, day));
    const iso = date.toISOString().slice(0, 10);
    if (date.getUTCDay() >= 1 && date.getUTCDay() <= 5 && !holidays.has(iso)) return iso;
  }
}
