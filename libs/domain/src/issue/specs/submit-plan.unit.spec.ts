import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { Measure } from '../issue.vocabulary';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('submit a plan (整改任务书、时间表): assigned | in_progress | reopened → in_progress', () => {
  const measure: Measure = { description: '开展窗口作风培训', owner: '王五', dueDate: '2026-03-06' };
  const plan = (measures: unknown[] = [measure], hours = 2) =>
    f.command('SubmitPlan', { measures: measures as Measure[] }, hours);

  describe('allowed', () => {
    it('from assigned: the unit starts rectifying', () => spec.given(f.IN.assigned).when(plan()).then([f.planned]));
    it('while in progress: a revised plan replaces the earlier one', () =>
      spec
        .given(f.IN.in_progress)
        .when(plan([{ ...measure, description: '建立首问负责制' }], 3))
        .thenState((s) =>
          expect(s).toMatchObject({
            status: 'in_progress',
            plan: { measures: [{ description: '建立首问负责制' }], submittedAt: f.at(3), submittedBy: f.officer.id },
          }),
        ));
    it('after reopening: a new plan, back in progress', () =>
      spec
        .given(f.IN.reopened)
        .when(plan([measure], 8))
        .thenState((s) => expect(s.status).toBe('in_progress')));
    it('a measure due on the deadline day itself, or at an instant before it', () =>
      spec
        .given(f.IN.assigned)
        .when(
          plan([
            { ...measure, dueDate: '2026-03-12' },
            { ...measure, dueDate: '2026-03-10T12:00:00+08:00' },
          ]),
        )
        .thenState((s) =>
          expect(s.plan!.measures.map((m) => m.dueDate)).toEqual(['2026-03-12', '2026-03-10T04:00:00.000Z']),
        ));
  });

  describe('refused', () => {
    it.each(['registered', 'triaged'] as const)('before assignment: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(plan())
        .thenThrows(IllegalTransition, /^cannot submit a plan for an issue that is \w+; assign it first$/),
    );
    it.each(['result_reported', 'accepted', 'closed', 'withdrawn'] as const)('when the issue is %s', (status) =>
      spec
        .given(f.IN[status])
        .when(plan([measure], 9))
        .thenThrows(IllegalTransition, f.refusal('submit a plan for', status), {
          state: status,
          command: 'SubmitPlan',
        }),
    );
    it('covers every status but assigned, in_progress and reopened', () =>
      expect(f.statusesExcept('assigned', 'in_progress', 'reopened')).toEqual([
        'registered',
        'triaged',
        'result_reported',
        'accepted',
        'closed',
        'withdrawn',
      ]));
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(plan())
        .thenThrows(NotFound, /does not exist/));
  });

  describe('bad commands', () => {
    it('a plan with no measures', () =>
      spec
        .given(f.IN.assigned)
        .when(plan([]))
        .thenThrows(InvalidCommand, /^measures: a plan needs at least one measure/, { field: 'measures' }));
    it('a measure without an owner', () =>
      spec
        .given(f.IN.assigned)
        .when(plan([measure, { ...measure, owner: '' }]))
        .thenThrows(InvalidCommand, /^measures\[1\]\.owner/, { field: 'measures[1].owner' }));
    it('a measure without a description', () =>
      spec
        .given(f.IN.assigned)
        .when(plan([{ ...measure, description: undefined }]))
        .thenThrows(InvalidCommand, /^measures\[0\]\.description/));
    it('a measure whose due date is not a date', () =>
      spec
        .given(f.IN.assigned)
        .when(plan([{ ...measure, dueDate: 'soon' }]))
        .thenThrows(InvalidCommand, /^measures\[0\]\.dueDate: must be a date/));
    it('a measure due after the deadline: request an extension first', () =>
      spec
        .given(f.IN.assigned)
        .when(plan([{ ...measure, dueDate: '2026-03-13' }]))
        .thenThrows(
          InvalidCommand,
          /^measures\[0\]\.dueDate: is after the issue's deadline .*request an extension first/,
        ));
    it('a measure due at an instant after the deadline', () =>
      spec
        .given(f.IN.assigned)
        .when(plan([{ ...measure, dueDate: f.at(24 * 10 + 1) }]))
        .thenThrows(InvalidCommand, /dueDate: is after/));
    it('a measure that is not an object', () =>
      spec
        .given(f.IN.assigned)
        .when(plan(['培训']))
        .thenThrows(InvalidCommand, /^measures\[0\]: must be/));
  });
});
