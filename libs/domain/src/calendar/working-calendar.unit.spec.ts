import { DateTime } from 'luxon';
import {
  addWorkingDays,
  CalendarDataError,
  chineseCalendar,
  DEFAULT_TIME_ZONE,
  endOfLocalDay,
  WorkingCalendar,
} from './working-calendar';

const cn = chineseCalendar();
const SHANGHAI = 'Asia/Shanghai';
const BERLIN = 'Europe/Berlin';

/** every date of a year, counted if it is a working day */
const workingDaysIn = (calendar: WorkingCalendar, year: number) => {
  let count = 0;
  for (let day = DateTime.utc(year, 1, 1); day.year === year; day = day.plus({ days: 1 }))
    if (calendar.isWorkingDay(day.toISODate()!)) count++;
  return count;
};

describe('the shipped PRC schedule (国务院办公厅关于部分节假日安排的通知)', () => {
  it('covers 2024, 2025 and 2026, each with its source', () => {
    expect(cn.coveredYears).toEqual([2024, 2025, 2026]);
    expect(cn.sourceOf(2026)).toMatch(/2026年部分节假日安排/);
    expect(cn.sourceOf(2023)).toBeNull();
  });

  it.each([
    ['2025-01-28', false, '春节 2025 (除夕) off'],
    ['2025-02-04', false, '春节 2025 last day off'],
    ['2025-01-26', true, 'Sunday 2025-01-26, 调休上班'],
    ['2025-02-08', true, 'Saturday 2025-02-08, 调休上班'],
    ['2025-04-27', true, 'Sunday 2025-04-27, 调休上班 before 劳动节'],
    ['2025-05-05', false, '劳动节 2025'],
    ['2025-10-08', false, '国庆中秋 2025: 8 days'],
    ['2025-10-11', true, 'Saturday 2025-10-11, 调休上班'],
    ['2024-02-09', true, '除夕 2024 is a working day (rest only encouraged)'],
    ['2024-02-18', true, 'Sunday 2024-02-18, 调休上班'],
    ['2024-09-16', false, '中秋 2024'],
    ['2026-01-02', false, '元旦 2026'],
    ['2026-01-04', true, 'Sunday 2026-01-04, 调休上班'],
    ['2026-02-23', false, '春节 2026: 9 days to the Monday'],
    ['2026-02-14', true, 'Saturday 2026-02-14, 调休上班'],
    ['2026-02-28', true, 'Saturday 2026-02-28, 调休上班'],
    ['2026-09-25', false, '中秋 2026'],
    ['2026-10-08', true, 'after 国庆 2026'],
    ['2026-10-10', true, 'Saturday 2026-10-10, 调休上班'],
    ['2025-03-08', false, 'an ordinary Saturday'],
    ['2025-03-10', true, 'an ordinary Monday'],
  ])('%s is a working day: %s (%s)', (date, working) => expect(cn.isWorkingDay(date)).toBe(working));

  it.each([
    [2024, 251],
    [2025, 248],
    [2026, 248],
  ])('%s has %s working days', (year, count) => expect(workingDaysIn(cn, year)).toBe(count));

  it('a later year without data is provisional: statutory holidays and weekends off, no make-up days', () => {
    expect(cn.isWorkingDay('2027-01-01')).toBe(false); // 元旦 2027, by the statutory rule
    expect(cn.isWorkingDay('2027-01-02')).toBe(false); // a Saturday
    expect(workingDaysIn(cn, 2027)).toBe(261 - 13); // 13 statutory weekdays off (statutory-holidays.unit.spec.ts)
    expect(cn.isProvisional(2027)).toBe(true);
    expect(cn.isProvisional(2026)).toBe(false);
  });

  it('a year before the 2024 rule without data counts weekends only', () => expect(workingDaysIn(cn, 2023)).toBe(260));

  it('refuses a local date that is not YYYY-MM-DD', () => {
    expect(() => cn.isWorkingDay('2026-02-30')).toThrow(RangeError);
    expect(() => cn.isWorkingDay('2026-2-3')).toThrow(/not a date/);
  });
});

describe('addWorkingDays: the end of the n-th working day after the local date of an instant', () => {
  it('5 working days from Friday 2025-01-24 count the make-up Sunday and skip the Spring Festival', () => {
    // Jan 26 (Sun, 调休) 1, Jan 27 (Mon) 2, Jan 28 – Feb 4 off, Feb 5 3, Feb 6 4, Feb 7 (Fri) 5; 23:59:59.999 at UTC+8
    expect(cn.addWorkingDays('2025-01-24T03:00:00Z', 5, SHANGHAI)).toBe('2025-02-07T15:59:59.999Z');
  });

  it('uses Asia/Shanghai unless told otherwise', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Asia/Shanghai');
    expect(cn.addWorkingDays('2025-01-24T03:00:00Z', 5)).toBe('2025-02-07T15:59:59.999Z');
  });

  it('the starting day never counts, even a working day given at dawn', () =>
    expect(cn.addWorkingDays('2026-03-02T00:00:00+08:00', 1)).toBe('2026-03-03T15:59:59.999Z'));

  it('starting on a holiday counts from the next working day', () =>
    expect(cn.addWorkingDays('2025-10-03T02:00:00Z', 1)).toBe('2025-10-09T15:59:59.999Z'));

  it('the local date decides: 20:00 UTC on Thursday is already Friday in Shanghai', () => {
    expect(cn.addWorkingDays('2026-03-05T20:00:00Z', 1, SHANGHAI)).toBe('2026-03-09T15:59:59.999Z'); // Fri → Mon
    expect(cn.addWorkingDays('2026-03-05T20:00:00Z', 1, 'UTC')).toBe('2026-03-06T23:59:59.999Z'); // Thu → Fri
  });

  it('spans the National Day week of 2026 (Oct 1–7 off, Sat Oct 10 worked)', () => {
    // from Wed 30 Sep: Oct 8 (Thu) 1, Oct 9 (Fri) 2, Oct 10 (Sat, 调休) 3
    expect(cn.addWorkingDays('2026-09-30T02:00:00Z', 3, SHANGHAI)).toBe('2026-10-10T15:59:59.999Z');
  });

  it('runs across the turn of a year into one without data, skipping its statutory New Year', () =>
    // Dec 31 (Thu) 1, Jan 1 元旦 off, Jan 4 (Mon) 2, Jan 5 3
    expect(cn.addWorkingDays('2026-12-30T02:00:00Z', 3)).toBe('2027-01-05T15:59:59.999Z'));

  describe('a zone with daylight saving time (Europe/Berlin) against a zone without (Asia/Shanghai)', () => {
    const noData = new WorkingCalendar(); // statutory holidays only; none on these dates
    it('across the spring change: the end of the day is 22:00 UTC before, 21:59:59.999 UTC after', () => {
      // Friday 27 March 2026 + 1 = Monday 30 March; DST began Sunday 29 March (UTC+1 → UTC+2)
      expect(noData.addWorkingDays('2026-03-27T10:00:00Z', 1, BERLIN)).toBe('2026-03-30T21:59:59.999Z');
      expect(noData.addWorkingDays('2026-03-26T10:00:00Z', 1, BERLIN)).toBe('2026-03-27T22:59:59.999Z');
      expect(noData.addWorkingDays('2026-03-27T10:00:00Z', 1, SHANGHAI)).toBe('2026-03-30T15:59:59.999Z');
    });
    it('across the autumn change (UTC+2 → UTC+1 on Sunday 25 October 2026)', () => {
      expect(noData.addWorkingDays('2026-10-23T10:00:00Z', 1, BERLIN)).toBe('2026-10-26T22:59:59.999Z');
      expect(noData.addWorkingDays('2026-10-23T10:00:00Z', 1, SHANGHAI)).toBe('2026-10-26T15:59:59.999Z');
    });
    it('the same instant may be another local date: 23:30 UTC Friday is Saturday in Berlin', () =>
      expect(noData.addWorkingDays('2026-01-16T23:30:00Z', 1, BERLIN)).toBe('2026-01-19T22:59:59.999Z'));
  });

  it('as a function of a calendar too', () =>
    expect(addWorkingDays(cn, '2025-01-24T03:00:00Z', 5, SHANGHAI)).toBe('2025-02-07T15:59:59.999Z'));

  it.each([0, -1, 1.5, 36_501])('refuses %s working days', (n) =>
    expect(() => cn.addWorkingDays('2026-03-02T00:00:00Z', n)).toThrow(RangeError),
  );
  it('refuses an instant that is not one', () =>
    expect(() => cn.addWorkingDays('next week', 1)).toThrow(/not an ISO-8601 instant/));
  it('refuses an unknown time zone', () =>
    expect(() => cn.addWorkingDays('2026-03-02T00:00:00Z', 1, 'Mars/Olympus')).toThrow(RangeError));
});

describe('endOfLocalDay: a deadline given as a date means the end of that day there', () => {
  it('in Shanghai', () => expect(endOfLocalDay('2026-03-31')).toBe('2026-03-31T15:59:59.999Z'));
  it('in Berlin, winter and summer', () => {
    expect(endOfLocalDay('2026-01-15', BERLIN)).toBe('2026-01-15T22:59:59.999Z');
    expect(endOfLocalDay('2026-07-15', BERLIN)).toBe('2026-07-15T21:59:59.999Z');
  });
  it('refuses what is not a date', () => expect(() => endOfLocalDay('31/03/2026')).toThrow(RangeError));
});

describe("an agency's own data laid over the shipped schedule", () => {
  it('a year given replaces the shipped year wholesale', () => {
    const agency = chineseCalendar({ '2026': { holidays: ['2026-03-09'], workdays: [] } });
    expect(agency.isWorkingDay('2026-03-09')).toBe(false);
    expect(agency.isWorkingDay('2026-10-01')).toBe(true); // the shipped 2026 schedule no longer applies
    expect(agency.isWorkingDay('2025-10-01')).toBe(false); // other years stay
  });

  it('a year with merge: true adds to the shipped one (a local day off)', () => {
    const agency = chineseCalendar({
      '2026': { holidays: ['2026-03-09'], workdays: [], merge: true, source: '本地通知' },
    });
    expect(agency.isWorkingDay('2026-03-09')).toBe(false);
    expect(agency.isWorkingDay('2026-10-01')).toBe(false);
    expect(agency.sourceOf(2026)).toMatch(/2026年部分节假日安排.*; 本地通知/);
  });

  it('adds a year the shipped data does not have', () => {
    const withNextYear = cn.merge({ '2027': { holidays: ['2027-03-01'], workdays: [] } });
    expect(withNextYear.coveredYears).toEqual([2024, 2025, 2026, 2027]);
    expect(withNextYear.isWorkingDay('2027-03-01')).toBe(false);
    expect(withNextYear.isProvisional(2027)).toBe(false);
    expect(cn.isWorkingDay('2027-03-01')).toBe(true); // merge makes a new calendar
  });

  it('ignores $-keys such as $comment', () => expect(new WorkingCalendar({ $comment: 'x' }).coveredYears).toEqual([]));

  it.each([
    [{ '2027': { holidays: ['2027-13-01'], workdays: [] } }, /2027.holidays: "2027-13-01" is not a YYYY-MM-DD date/],
    [{ '2027': { holidays: ['2026-12-31'], workdays: [] } }, /2026-12-31 is not in 2027/],
    [{ '2027': { holidays: [], workdays: ['2027-01-04'] } }, /2027-01-04 is a weekday/],
    [
      { '2027': { holidays: ['2027-01-02'], workdays: ['2027-01-02'] } },
      /listed both as a holiday and as a working day/,
    ],
    [{ '2027': { holidays: '2027-01-01' } }, /2027.holidays must be a list/],
    [{ '27': { holidays: [], workdays: [] } }, /"27" is not a year/],
    [{ '2027': 'soon' }, /2027 must be/],
  ])('refuses data that cannot be right: %j', (data, message) => {
    expect(() => new WorkingCalendar(data as never)).toThrow(CalendarDataError);
    expect(() => new WorkingCalendar(data as never)).toThrow(message);
  });
});
