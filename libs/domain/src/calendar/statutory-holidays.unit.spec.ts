import { DateTime } from 'luxon';
import { STATUTORY_RULE_FROM, statutoryHolidays } from './statutory-holidays';
import { chineseCalendar } from './working-calendar';

/**
 * Written down by hand, not computed: the lunar dates from the published almanac (春节 2027 on Saturday
 * 6 February, 2028 on Wednesday 26 January; 清明, 端午 and 中秋 likewise), the weekdays counted from
 * 1 January 2027 (a Friday) and 1 January 2028 (a Saturday). A festival day on a weekend gives the next
 * weekday after the festival off (办法 第六条, 补假).
 */
const expected2027 = {
  holidays: [
    '2027-01-01 元旦', // Fri
    '2027-02-05 春节', // 除夕, Fri
    '2027-02-06 春节', // 初一, Sat
    '2027-02-07 春节', // 初二, Sun
    '2027-02-08 春节', // 初三, Mon
    '2027-04-05 清明节', // Mon
    '2027-05-01 劳动节', // Sat
    '2027-05-02 劳动节', // Sun
    '2027-06-09 端午节', // Wed
    '2027-09-15 中秋节', // Wed
    '2027-10-01 国庆节', // Fri
    '2027-10-02 国庆节', // Sat
    '2027-10-03 国庆节', // Sun
  ],
  inLieu: [
    '2027-02-09 春节', // for Sat 6 Feb
    '2027-02-10 春节', // for Sun 7 Feb
    '2027-05-03 劳动节',
    '2027-05-04 劳动节',
    '2027-10-04 国庆节',
    '2027-10-05 国庆节',
  ],
};

const expected2028 = {
  holidays: [
    '2028-01-01 元旦', // Sat
    '2028-01-25 春节', // 除夕, Tue
    '2028-01-26 春节', // 初一
    '2028-01-27 春节',
    '2028-01-28 春节', // 初三, Fri
    '2028-04-04 清明节', // Tue
    '2028-05-01 劳动节', // Mon
    '2028-05-02 劳动节', // Tue
    '2028-05-28 端午节', // Sun
    '2028-10-01 国庆节', // Sun
    '2028-10-02 国庆节', // Mon
    '2028-10-03 国庆节', // Tue
    '2028-10-03 中秋节', // the same day as the third day of 国庆
  ],
  inLieu: [
    '2028-01-03 元旦', // Mon, for Sat 1 Jan
    '2028-05-29 端午节', // Mon, for Sun 28 May
    '2028-10-04 国庆节', // Wed, for Sun 1 Oct (Oct 2 and 3 are already off)
  ],
};

const listed = (year: number, kind: 'holiday' | 'in-lieu') =>
  statutoryHolidays(year)
    .filter((day) => day.kind === kind)
    .map((day) => `${day.date} ${day.name}`)
    .sort();

describe('the statutory holidays (全国年节及纪念日放假办法, 2024 revision) computed with lunar-typescript', () => {
  it.each([
    [2027, expected2027],
    [2028, expected2028],
  ])('%s: every festival day, the lunar and solar-term ones included', (year, expected) =>
    expect(listed(year, 'holiday')).toEqual([...expected.holidays].sort()),
  );

  it.each([
    [2027, expected2027],
    [2028, expected2028],
  ])('%s: a weekday off for each festival day on a weekend', (year, expected) =>
    expect(listed(year, 'in-lieu')).toEqual([...expected.inLieu].sort()),
  );

  it('春节 2027 runs from 除夕 5 February to 初三 8 February', () =>
    expect(
      statutoryHolidays(2027)
        .filter((day) => day.name === '春节' && day.kind === 'holiday')
        .map((day) => day.date),
    ).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08']));

  it.each([2025, 2026])(
    'every statutory day off of %s, in-lieu days included, is a day off in the State Council notice shipped for it',
    (year) => {
      const published = chineseCalendar();
      const notOff = statutoryHolidays(year).filter((day) => published.isWorkingDay(day.date));
      expect(notOff).toEqual([]);
      expect(statutoryHolidays(year).length).toBeGreaterThanOrEqual(13);
    },
  );

  it('every in-lieu day falls on a weekday', () => {
    for (const year of [2027, 2028, 2029, 2030])
      for (const day of statutoryHolidays(year).filter((d) => d.kind === 'in-lieu'))
        expect(DateTime.fromISO(day.date).weekday).toBeLessThanOrEqual(5);
  });

  it('refuses a year before the 2024 revision applies', () => {
    expect(STATUTORY_RULE_FROM).toBe(2025);
    expect(() => statutoryHolidays(2024)).toThrow(/applies from 2025/);
  });
});
