import { InvalidCommand } from '../errors';
import { CalendarYearSchedule, validateCalendarYear } from './calendar-schedule';

const valid: CalendarYearSchedule = {
  year: 2027,
  holidays: ['2027-02-06', '2027-01-01', '2027-02-05'],
  workdays: ['2027-02-20'],
  source: '国务院办公厅关于2027年部分节假日安排的通知',
};

/** The refusal, as the API will see it: its class, the field and the message. */
const refusal = (input: unknown) => {
  try {
    validateCalendarYear(input as CalendarYearSchedule);
  } catch (error) {
    return error;
  }
  throw new Error('the schedule was accepted');
};

describe('validateCalendarYear: one year of an official schedule, refused date by date', () => {
  it('accepts a valid year and sorts its dates', () =>
    expect(validateCalendarYear(valid)).toEqual({
      ...valid,
      holidays: ['2027-01-01', '2027-02-05', '2027-02-06'],
    }));

  it.each([
    [
      'a date outside the year',
      { holidays: ['2027-01-01', '2026-12-31'] },
      'holidays[1]',
      /^holidays\[1\]: 2026-12-31 is not in 2027$/,
    ],
    [
      'a weekday as a make-up day',
      { workdays: ['2027-02-20', '2027-02-22'] },
      'workdays[1]',
      /2027-02-22 is a weekday; only weekend days/,
    ],
    [
      'a holiday that is also a workday',
      { holidays: ['2027-02-06'], workdays: ['2027-02-06'] },
      'workdays[0]',
      /2027-02-06 is listed both as a holiday and as a working day/,
    ],
    [
      'a malformed date',
      { holidays: ['2027-01-01', '2027-2-5'] },
      'holidays[1]',
      /"2027-2-5" is not a YYYY-MM-DD date/,
    ],
    ['a date that does not exist', { holidays: ['2027-02-29'] }, 'holidays[0]', /"2027-02-29" is not a YYYY-MM-DD/],
    ['a date that is not a string', { holidays: [20270101] }, 'holidays[0]', /20270101 is not a YYYY-MM-DD date/],
    [
      'a date listed twice',
      { holidays: ['2027-01-01', '2027-02-05', '2027-01-01'] },
      'holidays[2]',
      /2027-01-01 is listed twice \(also holidays\[0\]\)/,
    ],
    ['a list that is not one', { workdays: '2027-02-20' }, 'workdays', /must be a list/],
    ['no days off at all', { holidays: [] }, 'holidays', /must list the days off of 2027/],
    ['a blank source', { source: ' ' }, 'source', /required/],
    ['a year out of range', { year: 1999 }, 'year', /from 2000 to 2100/],
    ['an unknown field', { merge: true }, 'merge', /is not a field of a year's schedule/],
  ])('refuses %s, naming the field and the date', (_what, change, field, message) => {
    const error = refusal({ ...valid, ...change });
    expect(error).toBeInstanceOf(InvalidCommand);
    expect(error).toMatchObject({ field, code: 'invalid_command' });
    expect((error as Error).message).toMatch(message);
  });
});
