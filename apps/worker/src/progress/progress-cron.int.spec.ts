import { Queue } from 'bullmq';
import { parseExpression } from 'cron-parser';
import { DateTime } from 'luxon';
import { connectRedis } from '@duban/common';
import { progressMonth, progressRequestCron } from './progress-requests';

/**
 * The monthly request runs at 09:00 on the configured day in TZ_AGENCY, whatever the zone's offset that
 * month: checked with the cron evaluator BullMQ uses, and against BullMQ's own job scheduler on Redis.
 */
const config = (tzAgency: string) => ({ progressRequestDay: 1, progressRequestHour: 9, progressDueDay: 10, tzAgency });

/** The next `count` runs after `from`, as UTC instants, evaluated as BullMQ does (cron-parser with tz). */
function runs(tz: string, from: string, count: number): string[] {
  const { pattern } = progressRequestCron(config(tz));
  const interval = parseExpression(pattern, { currentDate: new Date(from), tz });
  return Array.from({ length: count }, () => interval.next().toDate().toISOString());
}

describe('the monthly progress cron in the agency time zone', () => {
  it('Asia/Shanghai (no DST): 09:00 local is 01:00Z every month', () =>
    expect(runs('Asia/Shanghai', '2027-01-15T00:00:00Z', 4)).toEqual([
      '2027-02-01T01:00:00.000Z',
      '2027-03-01T01:00:00.000Z',
      '2027-04-01T01:00:00.000Z',
      '2027-05-01T01:00:00.000Z',
    ]));

  it('America/New_York (DST from 14 March 2027): 09:00 local is 14:00Z in winter and 13:00Z in summer', () =>
    expect(runs('America/New_York', '2027-01-15T00:00:00Z', 4)).toEqual([
      '2027-02-01T14:00:00.000Z',
      '2027-03-01T14:00:00.000Z',
      '2027-04-01T13:00:00.000Z',
      '2027-05-01T13:00:00.000Z',
    ]));

  it('Europe/Berlin across the autumn change (31 October 2027)', () =>
    expect(runs('Europe/Berlin', '2027-09-15T00:00:00Z', 3)).toEqual([
      '2027-10-01T07:00:00.000Z',
      '2027-11-01T08:00:00.000Z',
      '2027-12-01T08:00:00.000Z',
    ]));

  it('the month and its due moment are the agency’s: 23:30Z on 31 Jan is already February in Shanghai', () => {
    const m = progressMonth(config('Asia/Shanghai'), Date.parse('2027-01-31T23:30:00Z'));
    expect(m.month).toBe('2027-02');
    expect(m.dueBy).toBe('2027-02-10T15:59:59.999Z');
    expect(progressMonth(config('America/New_York'), Date.parse('2027-07-05T12:00:00Z')).dueBy).toBe(
      '2027-07-11T03:59:59.999Z',
    );
  });

  it('BullMQ’s job scheduler on Redis agrees: its next run is the evaluator’s', async () => {
    const connection = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const prefix = `t-cron-${process.pid}-${Date.now()}`;
    const queue = new Queue('progress', { connection, prefix });
    try {
      for (const tz of ['Asia/Shanghai', 'America/New_York']) {
        await queue.upsertJobScheduler(`monthly-${tz}`, progressRequestCron(config(tz)), {
          name: 'progress-request',
          data: {},
        });
        const scheduler = (await queue.getJobSchedulers()).find((s) => s.key === `monthly-${tz}`)!;
        const expected = runs(tz, new Date().toISOString(), 1)[0];
        expect(new Date(scheduler.next!).toISOString()).toBe(expected);
        expect(DateTime.fromMillis(scheduler.next!, { zone: tz }).toFormat('d HH:mm')).toBe('1 09:00');
      }
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await connection.quit();
    }
  });
});
