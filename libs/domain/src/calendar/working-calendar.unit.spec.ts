import { addWorkingDays, chineseCalendar, endOfLocalDay, WorkingCalendar } from './working-calendar';

describe('working days against the PRC holiday calendar (调休 included)', () => {
  const cn = chineseCalendar();
  const SH = 'Asia/Shanghai';

  it('knows holidays, make-up working days and ordinary weekends', () => {
    expect(cn.isWorkingDay('2025-01-28')).toBe(false); // 春节
    expect(cn.isWorkingDay('2025-01-26')).toBe(true); // Sunday, 调休上班
    expect(cn.isWorkingDay('2025-02-08')).toBe(true); // Saturday, 调休上班
    expect(cn.isWorkingDay('2025-03-08')).toBe(false); // an ordinary Saturday
    expect(cn.isWorkingDay('2025-03-10')).toBe(true); // an ordinary Monday
    expect(cn.isWorkingDay('2026-10-08')).toBe(true); // after 国庆 2026
    expect(cn.isWorkingDay('2026-10-10')).toBe(true); // Saturday, 调休上班
    expect(cn.coveredYears).toEqual([2024, 2025, 2026]);
  });

  it('5 working days from Friday 2025-01-24 count the make-up Sunday and skip the Spring Festival', () => {
    // Jan 26 (Sun, make-up), 27 (Mon), then 28 Jan – 4 Feb off, 5 (Wed), 6 (Thu), 7 Feb (Fri)
    expect(addWorkingDays(cn, '2025-01-24T03:00:00Z', 5, SH)).toBe('2025-02-07T15:59:59.999Z');
  });

  it('counts from the local date in the agency time zone, and ends at local midnight', () => {
    // 2026-03-05T20:00Z is already Friday 6 March in Shanghai: +1 working day is Monday 9 March
    expect(addWorkingDays(cn, '2026-03-05T20:00:00Z', 1, SH)).toBe('2026-03-09T15:59:59.999Z');
    expect(addWorkingDays(cn, '2026-03-05T20:00:00Z', 1, 'UTC')).toBe('2026-03-06T23:59:59.999Z');
  });

  it('spans the National Day week of 2026 (Oct 1–7 off, Oct 10 worked)', () => {
    // from Wed 30 Sep: Oct 8 (Thu), Oct 9 (Fri), Oct 10 (Sat, make-up)
    expect(addWorkingDays(cn, '2026-09-30T02:00:00Z', 3, SH)).toBe('2026-10-10T15:59:59.999Z');
  });

  it('handles a zone with daylight saving time (Europe/Berlin) on weekends only outside the data years', () => {
    const plain = new WorkingCalendar();
    // Friday 27 March 2026 + 1 working day = Monday 30 March (DST began Sunday 29 March: UTC+2)
    expect(addWorkingDays(plain, '2026-03-27T10:00:00Z', 1, 'Europe/Berlin')).toBe('2026-03-30T21:59:59.999Z');
    expect(endOfLocalDay('2026-01-15', 'Europe/Berlin')).toBe('2026-01-15T22:59:59.999Z');
  });

  it('an agency override replaces a year wholesale', () => {
    const agency = chineseCalendar({ '2026': { holidays: ['2026-03-09'], workdays: [] } });
    expect(agency.isWorkingDay('2026-03-09')).toBe(false);
    expect(agency.isWorkingDay('2026-10-01')).toBe(true); // the shipped 2026 schedule no longer applies
    expect(() => new WorkingCalendar({ '2027': { holidays: ['2027-13-01'], workdays: [] } })).toThrow(/not a YYYY-MM-DD date/);
  });

  it('refuses a non-positive number of days', () => {
    expect(() => addWorkingDays(cn, '2026-03-02T00:00:00Z', 0, SH)).toThrow(RangeError);
  });
});
