import type { CommandMeta } from '../decider';
import { InvalidCommand } from '../errors';
import { DeciderSpecification } from '../testing/decider-spec';
import type { CalendarYearSchedule } from './calendar-schedule';
import type { LoadCalendarYear } from './calendar.commands';
import { calendarDecider } from './calendar.decider';
import type { CalendarYearLoaded } from './calendar.events';

const spec = DeciderSpecification.for(calendarDecider);

/** The story: in December 2026 an administrator loads the 2027 notice, then a correction of it. */
const admin: CommandMeta = { at: '2026-12-02T01:00:00.000Z', actor: { id: 'admin-1', role: 'admin' } };
const notice: CalendarYearSchedule = {
  year: 2027,
  holidays: ['2027-02-06', '2027-01-01', '2027-02-05'],
  workdays: ['2027-02-20'],
  source: '国务院办公厅关于2027年部分节假日安排的通知',
};
const load = (data: CalendarYearSchedule, meta: CommandMeta = admin): LoadCalendarYear => ({
  type: 'LoadCalendarYear',
  data,
  meta,
});
const loaded = (data: CalendarYearSchedule, meta: CommandMeta = admin): CalendarYearLoaded => ({
  type: 'CalendarYearLoaded',
  data: {
    ...data,
    holidays: [...data.holidays].sort(),
    workdays: [...data.workdays].sort(),
    at: meta.at,
    by: meta.actor.id,
  },
});
const later: CommandMeta = { ...admin, at: '2026-12-03T01:00:00.000Z' };

describe('load a calendar year (stream calendar-<year>)', () => {
  it('the first load records the schedule, its dates sorted, with when and by whom', () =>
    spec
      .given([])
      .when(load(notice))
      .then([
        {
          type: 'CalendarYearLoaded',
          data: {
            year: 2027,
            holidays: ['2027-01-01', '2027-02-05', '2027-02-06'],
            workdays: ['2027-02-20'],
            source: notice.source,
            at: admin.at,
            by: 'admin-1',
          },
        },
      ]));

  it('an identical second load records nothing, even with its dates in another order and later', () =>
    spec
      .given([loaded(notice)])
      .when(load({ ...notice, holidays: ['2027-02-05', '2027-02-06', '2027-01-01'] }, later))
      .thenNothingHappens());

  it('a changed load records the new schedule, which replaces the year', () => {
    const corrected = { ...notice, workdays: ['2027-02-20', '2027-02-21'] };
    spec
      .given([loaded(notice)])
      .when(load(corrected, later))
      .then([loaded(corrected, later)]);
    spec
      .given([loaded(notice)])
      .when(load(corrected, later))
      .thenState((state) => expect(state.loaded?.workdays).toEqual(['2027-02-20', '2027-02-21']));
  });

  it('the same dates under another source is a change', () =>
    spec
      .given([loaded(notice)])
      .when(load({ ...notice, source: '国办发明电〔2026〕X号' }, later))
      .then([loaded({ ...notice, source: '国办发明电〔2026〕X号' }, later)]));

  it('a weekday as a make-up day is refused, naming the date', () =>
    spec
      .given([])
      .when(load({ ...notice, workdays: ['2027-02-22'] }))
      .thenThrows(InvalidCommand, /2027-02-22 is a weekday/, { field: 'workdays[0]' }));

  it('a command without a time is refused', () =>
    spec
      .given([])
      .when(load(notice, { ...admin, at: 'yesterday' }))
      .thenThrows(InvalidCommand, /^meta\.at/));

  it('another year on this year’s stream is refused', () =>
    spec
      .given([loaded(notice)])
      .when(load({ ...notice, year: 2028, holidays: ['2028-01-01'], workdays: [] }))
      .thenThrows(InvalidCommand, /names 2028 but this is the stream of 2027/, { field: 'year' }));
});
