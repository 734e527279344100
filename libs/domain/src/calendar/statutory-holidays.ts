import { DateTime } from 'luxon';
import { Lunar, Solar } from 'lunar-typescript';

/** The rule a year without a published schedule falls back to. */
export const STATUTORY_RULE = '全国年节及纪念日放假办法 (2024年修订, 国务院令第795号)';

/** The first year the 2024 revision applies to; earlier years without data count weekends only. */
export const STATUTORY_RULE_FROM = 2025;

export type StatutoryHolidayName = '元旦' | '春节' | '清明节' | '劳动节' | '端午节' | '中秋节' | '国庆节';

/**
 * One statutory day off: `holiday` is a day of the festival itself, `in-lieu` the working day given
 * instead of a festival day that fell on a Saturday or Sunday (办法 第六条: 适逢周六、周日，应当在工作日补假).
 */
export interface StatutoryDay {
  date: string;
  name: StatutoryHolidayName;
  kind: 'holiday' | 'in-lieu';
}

interface Festival {
  name: StatutoryHolidayName;
  dates: string[];
}

const ymd = (solar: Solar) => DateTime.utc(solar.getYear(), solar.getMonth(), solar.getDay()).toISODate()!;
const fixed = (year: number, month: number, days: number[]) =>
  days.map((day) => DateTime.utc(year, month, day).toISODate()!);
const lunarDay = (year: number, month: number, day: number) => ymd(Lunar.fromYmd(year, month, day).getSolar());

/** The festivals of 办法 第二条 for `year`, lunar dates and the 清明 solar term from lunar-typescript. */
function festivals(year: number): Festival[] {
  const newYear = Lunar.fromYmd(year, 1, 1).getSolar();
  // April of `year` always lies in lunar year `year`, whose table holds that spring's 清明.
  const qingming = Solar.fromYmd(year, 4, 1).getLunar().getJieQiTable()['清明'];
  return [
    { name: '元旦', dates: fixed(year, 1, [1]) },
    { name: '春节', dates: [-1, 0, 1, 2].map((offset) => ymd(newYear.next(offset))) }, // 除夕 to 初三
    { name: '清明节', dates: [ymd(qingming)] },
    { name: '劳动节', dates: fixed(year, 5, [1, 2]) },
    { name: '端午节', dates: [lunarDay(year, 5, 5)] },
    { name: '中秋节', dates: [lunarDay(year, 8, 15)] },
    { name: '国庆节', dates: fixed(year, 10, [1, 2, 3]) },
  ];
}

const isWeekend = (date: string) => DateTime.fromISO(date, { zone: 'UTC' }).weekday >= 6;

/**
 * The statutory days off of `year` (from 2025), in date order: the festival days, and for each festival
 * day on a weekend the next weekday after that festival that is not already off. No make-up working days
 * (调休) and no bridging days: only the State Council's yearly notice sets those.
 */
export function statutoryHolidays(year: number): StatutoryDay[] {
  if (!Number.isInteger(year) || year < STATUTORY_RULE_FROM)
    throw new RangeError(`the statutory rule applies from ${STATUTORY_RULE_FROM} (got ${year})`);
  const all = festivals(year);
  const off = new Set(all.flatMap((festival) => festival.dates));
  const days: StatutoryDay[] = [];
  for (const festival of [...all].sort((a, b) => a.dates[0].localeCompare(b.dates[0]))) {
    days.push(...festival.dates.map((date) => ({ date, name: festival.name, kind: 'holiday' as const })));
    let owed = festival.dates.filter(isWeekend).length;
    let day = DateTime.fromISO(festival.dates[festival.dates.length - 1], { zone: 'UTC' });
    while (owed > 0) {
      day = day.plus({ days: 1 });
      const date = day.toISODate()!;
      if (day.weekday >= 6 || off.has(date)) continue;
      off.add(date);
      days.push({ date, name: festival.name, kind: 'in-lieu' });
      owed--;
    }
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}
