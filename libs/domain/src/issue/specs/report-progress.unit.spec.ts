import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('report progress (按月上报工作进度): assigned | in_progress | reopened → in_progress', () => {
  /** `percent: null` leaves it out */
  const progress = (text = '已完成培训', percent: number | null = 50, hours = 3) =>
    f.command('ReportProgress', { text, ...(percent === null ? {} : { percent }) }, hours);

  describe('allowed', () => {
    it('while in progress', () => spec.given(f.IN.in_progress).when(progress()).then([f.progressed]));
    it('from assigned, without a plan: in progress', () =>
      spec
        .given(f.IN.assigned)
        .when(progress())
        .thenState((s) => expect(s).toMatchObject({ status: 'in_progress', plan: null })));
    it('from reopened: in progress again', () =>
      spec
        .given(f.IN.reopened)
        .when(progress('二次整改中', null, 8))
        .thenState((s) => expect(s.status).toBe('in_progress')));
    it('without a percentage, and every report is kept', () =>
      spec
        .given([...f.IN.in_progress, f.progressed])
        .when(progress('继续推进', null, 4))
        .thenState((s) =>
          expect(s.progress).toEqual([
            { text: '已完成培训', percent: 50, at: f.at(3), by: f.officer.id, unitId: f.UNIT },
            { text: '继续推进', percent: null, at: f.at(4), by: f.officer.id, unitId: f.UNIT },
          ]),
        ));
    it('a co-unit reports on its part: the event and the state name the reporting unit', () =>
      spec
        .given(f.IN.in_progress)
        .when(
          f.command('ReportProgress', { text: '协办部分已完成' }, 4, {
            id: 'co-1',
            role: 'unit_officer',
            unitId: f.CO_UNIT,
          }),
        )
        .thenState((s) => expect(s.progress.at(-1)).toMatchObject({ text: '协办部分已完成', unitId: f.CO_UNIT })));
    it.each([0, 100, 33.5])('a percentage of %s', (percent) =>
      spec
        .given(f.IN.in_progress)
        .when(progress('x', percent))
        .thenState((s) => expect(s.progress[0].percent).toBe(percent)),
    );
  });

  describe('refused', () => {
    it.each(['registered', 'triaged'] as const)('before assignment: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(progress())
        .thenThrows(IllegalTransition, /assign it first$/),
    );
    it.each(['result_reported', 'accepted', 'closed', 'withdrawn'] as const)('when the issue is %s', (status) =>
      spec
        .given(f.IN[status])
        .when(progress(undefined, null, 9))
        .thenThrows(IllegalTransition, f.refusal('report progress on', status), { state: status }),
    );
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(progress())
        .thenThrows(NotFound, /does not exist/));
  });

  describe('bad commands', () => {
    it('blank text', () =>
      spec.given(f.IN.in_progress).when(progress('  ')).thenThrows(InvalidCommand, /^text/, { field: 'text' }));
    it.each([-1, 101, Number.NaN])('a percentage of %s', (percent) =>
      spec
        .given(f.IN.in_progress)
        .when(progress('x', percent))
        .thenThrows(InvalidCommand, /^percent: must be a number from 0 to 100/),
    );
  });
});
