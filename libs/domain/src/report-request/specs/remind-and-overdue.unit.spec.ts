import { IllegalTransition, NotFound } from '../../errors';
import { DeciderSpecification } from '../../testing/decider-spec';
import type { UnitReportsOverdue, UnitReportsReminded } from '../report-request.events';
import { reportRequestDecider } from '../report-request.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(reportRequestDecider);

const remind = (offset = 'P1D', at = f.BEFORE_DUE) => f.command('RemindUnitReports', { offset }, at, f.worker);
const overdue = (at = f.AFTER_DUE) => f.command('RecordReportsOverdue', {}, at, f.worker);

const reminded: UnitReportsReminded = {
  type: 'UnitReportsReminded',
  data: {
    ...f.base(f.BEFORE_DUE, f.worker.id),
    offset: 'P1D',
    unitIds: [f.UNIT_B, f.UNIT_C],
    title: f.request.title,
    dueAt: f.DUE_AT,
  },
};
const recorded: UnitReportsOverdue = {
  type: 'UnitReportsOverdue',
  data: { ...f.base(f.AFTER_DUE, f.worker.id), unitIds: [f.UNIT_B, f.UNIT_C], title: f.request.title, dueAt: f.DUE_AT },
};

describe('the worker reminds the units that have not reported, before the due instant', () => {
  it('names only the units still missing', () => spec.given([f.created, f.reportedA]).when(remind()).then([reminded]));

  it('once per offset: a repeat records nothing', () =>
    spec.given([f.created, f.reportedA, reminded]).when(remind()).thenNothingHappens());

  it('another offset is another reminder', () =>
    spec
      .given([f.created, f.reportedA, reminded])
      .when(remind('P3D'))
      .thenState((s) => expect(s.reminders.map((r) => r.offset)).toEqual(['P1D', 'P3D'])));

  it('nothing when every unit has reported', () => {
    const report = (unitId: string) => ({ ...f.reportedA, data: { ...f.reportedA.data, unitId } });
    spec
      .given([f.created, report(f.UNIT_A), report(f.UNIT_B), report(f.UNIT_C)])
      .when(remind())
      .thenNothingHappens();
  });

  it('at or after the due instant a reminder no longer applies (409, the worker skips it)', () =>
    spec
      .given([f.created])
      .when(remind('P1D', f.DUE_AT))
      .thenThrows(IllegalTransition, /recorded as overdue instead/, { command: 'RemindUnitReports' }));

  it('a request that does not exist is NotFound', () => spec.given([]).when(remind()).thenThrows(NotFound));
});

describe('at the due instant the worker records the units that did not report (逾期未报)', () => {
  it('names the units still missing, and the request is due', () =>
    spec.given([f.created, f.reportedA]).when(overdue()).then([recorded]));

  it('the state keeps who was overdue; a late report does not erase it', () =>
    spec
      .given([f.created, f.reportedA, recorded])
      .when(f.command('SubmitUnitReport', { unitId: f.UNIT_B, text: '补报' }, f.AFTER_DUE, f.officerA))
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'due',
          overdue: { unitIds: [f.UNIT_B, f.UNIT_C] },
          reports: [
            { unitId: f.UNIT_A, late: false },
            { unitId: f.UNIT_B, late: true },
          ],
        }),
      ));

  it('once: a repeat records nothing', () =>
    spec.given([f.created, f.reportedA, recorded]).when(overdue()).thenNothingHappens());

  it('before the due instant it is refused (the worker fired early: skipped)', () =>
    spec
      .given([f.created])
      .when(overdue(f.BEFORE_DUE))
      .thenThrows(IllegalTransition, /not due until/));
});
