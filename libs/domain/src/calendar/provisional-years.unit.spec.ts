import type { CalendarYearSchedule } from './calendar-schedule';
import { rederiveWorkingDayDeadline } from './deadline-rederivation';
import { addWorkingDaysExplained, CalendarDataError, WorkingCalendar, workingCalendarFrom } from './working-calendar';

/**
 * A made-up official 2027 schedule (not the real notice): New Year 1–3 January, Spring Festival 5–13
 * February, and Saturday 20 February worked (调休上班).
 */
const official2027: CalendarYearSchedule = {
  year: 2027,
  holidays: [
    '2027-01-01',
    '2027-01-02',
    '2027-01-03',
    ...[5, 6, 7, 8, 9, 10, 11, 12, 13].map((day) => `2027-02-${String(day).padStart(2, '0')}`),
  ],
  workdays: ['2027-02-20'],
  source: '测试用通知 (made up)',
};
const withoutMakeUpDay = { ...official2027, workdays: [], source: '测试用通知, 无调休 (made up)' };

/** Thursday 31 December 2026, 10:00 in Shanghai; 30 working days from it. */
const lastDayOf2026 = '2026-12-31T02:00:00Z';
const weekendsOnly2027 = { '2027': { holidays: [], workdays: [] } };

describe('30 working days from 31 December 2026 into 2027', () => {
  it('with weekends only (what Duban counted before): Thursday 11 February', () =>
    expect(workingCalendarFrom({ file: weekendsOnly2027 }).addWorkingDays(lastDayOf2026, 30)).toBe(
      '2027-02-11T15:59:59.999Z',
    ));

  it('provisional 2027 skips 元旦 and the statutory Spring Festival (5–10 Feb, 补假 included): Thursday 18 February', () =>
    // Jan 4–29: 20 days; Feb 1–4: 24; Feb 5–10 off; Feb 11, 12: 26; Feb 15–18: 30
    expect(addWorkingDaysExplained(workingCalendarFrom(), lastDayOf2026, 30)).toEqual({
      deadline: '2027-02-18T15:59:59.999Z',
      provisionalYears: [2027],
      yearsCrossed: [2027],
    }));

  it('with the official 2027 schedule and its make-up Saturday: Saturday 20 February, nothing provisional', () =>
    // Jan 4 – Feb 4: 24 days; Feb 5–13 off; Feb 15–19: 29; Sat Feb 20 (调休): 30
    expect(addWorkingDaysExplained(workingCalendarFrom({ loaded: [official2027] }), lastDayOf2026, 30)).toEqual({
      deadline: '2027-02-20T15:59:59.999Z',
      provisionalYears: [],
      yearsCrossed: [2027],
    }));

  it('the same schedule without the make-up Saturday ends on Monday 22 February', () =>
    expect(workingCalendarFrom({ loaded: [withoutMakeUpDay] }).addWorkingDays(lastDayOf2026, 30)).toBe(
      '2027-02-22T15:59:59.999Z',
    ));

  it('reports every year crossed, and only the unpublished ones as provisional', () => {
    const explained = workingCalendarFrom().addWorkingDaysExplained('2026-12-01T02:00:00Z', 300);
    expect(explained.yearsCrossed).toEqual([2026, 2027, 2028]);
    expect(explained.provisionalYears).toEqual([2027, 2028]);
  });

  it('a count that stays inside a published year is not provisional', () =>
    expect(workingCalendarFrom().addWorkingDaysExplained('2026-11-02T02:00:00Z', 10).provisionalYears).toEqual([]));
});

describe('overlays: shipped data, then WORKING_CALENDAR_FILE, then schedules loaded at runtime', () => {
  const file = { '2026': { holidays: ['2026-03-09'], workdays: [], source: '本地文件' } };

  it('lists each year with its source and whether it is provisional, through the year asked for', () =>
    expect(workingCalendarFrom({ file, loaded: [official2027] }).years(2029)).toEqual([
      { year: 2024, source: 'shipped', provisional: false, notice: expect.stringMatching(/2024年部分节假日安排/) },
      { year: 2025, source: 'shipped', provisional: false, notice: expect.stringMatching(/2025年部分节假日安排/) },
      { year: 2026, source: 'file', provisional: false, notice: '本地文件' },
      { year: 2027, source: 'runtime', provisional: false, notice: '测试用通知 (made up)' },
      { year: 2028, source: 'statutory', provisional: true, notice: expect.stringMatching(/放假办法/) },
      { year: 2029, source: 'statutory', provisional: true, notice: expect.stringMatching(/放假办法/) },
    ]));

  it('a later load of the same year wins', () => {
    const calendar = workingCalendarFrom({ loaded: [official2027, withoutMakeUpDay] });
    expect(calendar.isWorkingDay('2027-02-20')).toBe(false);
    expect(calendar.sourceOf(2027)).toBe(withoutMakeUpDay.source);
  });

  it('a runtime year replaces the file year', () => {
    const calendar = workingCalendarFrom({
      file: { '2027': { holidays: ['2027-03-01'], workdays: [] } },
      loaded: [official2027],
    });
    expect(calendar.isWorkingDay('2027-03-01')).toBe(true);
    expect(calendar.years().find((y) => y.year === 2027)?.source).toBe('runtime');
  });

  it('a merge: true file year on a provisional year adds to the statutory days and stays provisional', () => {
    const calendar = workingCalendarFrom({ file: { '2027': { holidays: ['2027-03-01'], workdays: [], merge: true } } });
    expect(calendar.isWorkingDay('2027-03-01')).toBe(false);
    expect(calendar.isWorkingDay('2027-02-08')).toBe(false); // 初三, statutory
    expect(calendar.isProvisional(2027)).toBe(true);
  });

  it('an empty calendar lists nothing unless asked through a year; a year before 2025 without data counts weekends only', () => {
    expect(new WorkingCalendar().years()).toEqual([]);
    expect(new WorkingCalendar().years(2023)).toEqual([
      { year: 2023, source: 'weekends-only', provisional: true, notice: null },
    ]);
  });

  it('refuses a runtime schedule whose dates cannot be right, naming the date', () =>
    expect(() => workingCalendarFrom({ loaded: [{ ...official2027, workdays: ['2027-02-22'] }] })).toThrow(
      new CalendarDataError(
        '2027.workdays: 2027-02-22 is a weekday; only weekend days need listing as make-up working days',
      ),
    ));
});

describe('rederiveWorkingDayDeadline: the same start and count against the calendar before and after a change', () => {
  const before = workingCalendarFrom();
  const after = workingCalendarFrom({ loaded: [official2027] });

  it('moves a deadline counted through the newly published year', () =>
    expect(
      rederiveWorkingDayDeadline({ start: lastDayOf2026, workingDays: 30, tz: 'Asia/Shanghai' }, before, after),
    ).toEqual({
      moved: true,
      previous: '2027-02-18T15:59:59.999Z',
      deadline: '2027-02-20T15:59:59.999Z',
      provisionalYears: [],
      yearsCrossed: [2027],
    }));

  it('leaves a deadline inside another year where it was', () =>
    expect(rederiveWorkingDayDeadline({ start: '2026-11-02T02:00:00Z', workingDays: 10 }, before, after)).toMatchObject(
      {
        moved: false,
        previous: '2026-11-16T15:59:59.999Z',
        deadline: '2026-11-16T15:59:59.999Z',
      },
    ));

  it('a deadline that crosses the year but lands where it was does not move', () =>
    // 2 working days from 30 Dec: Dec 31, then Jan 4 both provisionally and officially (Jan 1–3 off either way)
    expect(rederiveWorkingDayDeadline({ start: '2026-12-30T02:00:00Z', workingDays: 2 }, before, after)).toEqual({
      moved: false,
      previous: '2027-01-04T15:59:59.999Z',
      deadline: '2027-01-04T15:59:59.999Z',
      provisionalYears: [],
      yearsCrossed: [2026, 2027],
    }));
});
