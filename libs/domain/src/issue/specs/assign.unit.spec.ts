import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { AssignIssue } from '../issue.commands';
import { ISSUE_LIMITS } from '../issue.vocabulary';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('assign (交办): registered | triaged → assigned, deadline version 1; once', () => {
  const assign = (data: Partial<AssignIssue['data']> = {}, hours = 1) =>
    f.command(
      'AssignIssue',
      {
        leadUnitId: f.UNIT,
        coUnitIds: [f.CO_UNIT],
        responsiblePerson: { name: '王五' },
        deadline: f.DEADLINE,
        mode: 'counterpart',
        ...data,
      },
      hours,
    );

  describe('allowed', () => {
    it('from registered: lead unit, co-units, responsible person, deadline, mode', () =>
      spec.given(f.IN.registered).when(assign()).then([f.assigned]));
    it('with responsible units (责任单位) beside the lead and co-units', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ responsibleUnitIds: [f.OTHER_UNIT, f.OTHER_UNIT] }))
        .thenState((s) => expect(s.responsibleUnitIds).toEqual([f.OTHER_UNIT])));
    it('refuses a responsible unit that is the lead or a co-unit', () => {
      spec
        .given(f.IN.registered)
        .when(assign({ responsibleUnitIds: [f.UNIT] }))
        .thenThrows(InvalidCommand, /responsibleUnitIds/);
      spec
        .given(f.IN.registered)
        .when(assign({ responsibleUnitIds: [f.CO_UNIT] }))
        .thenThrows(InvalidCommand, /responsibleUnitIds/);
    });
    it('from triaged', () =>
      spec
        .given(f.IN.triaged)
        .when(assign())
        .thenState((s) =>
          expect(s).toMatchObject({
            status: 'assigned',
            deadline: f.DEADLINE,
            deadlineVersion: 1,
            leadUnitId: f.UNIT,
            assignedAt: f.at(1),
          }),
        ));
    it('keeps the working days the deadline was given in (the application resolved them to the instant)', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ deadlineWorkingDays: 5 }))
        .thenState((s) => expect(s.deadlineWorkingDays).toBe(5)));
    it('records a deadline given with an offset as a UTC instant', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ deadline: '2026-03-12T09:00:00+08:00' }))
        .thenState((s) => expect(s.deadline).toBe(f.DEADLINE)));
    it('records instructions, the title of the responsible person and each co-unit once', () =>
      spec
        .given(f.IN.registered)
        .when(
          assign({
            instructions: '限期整改',
            responsiblePerson: { name: '王五', title: '科长' },
            coUnitIds: [f.CO_UNIT, f.CO_UNIT],
            mode: 'joint',
          }),
        )
        .thenState((s) =>
          expect(s).toMatchObject({
            instructions: '限期整改',
            responsiblePerson: { name: '王五', title: '科长' },
            coUnitIds: [f.CO_UNIT],
            mode: 'joint',
          }),
        ));
    it('without co-units', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ coUnitIds: undefined, mode: 'leader' }))
        .thenState((s) => expect(s.coUnitIds).toEqual([])));
  });

  describe('refused', () => {
    it('when already assigned, naming the unit and pointing to re-assignment (so of two concurrent assignments one wins)', () =>
      spec
        .given(f.IN.assigned)
        .when(assign({ leadUnitId: f.OTHER_UNIT }, 2))
        .thenThrows(
          IllegalTransition,
          new RegExp(
            `^cannot assign an issue that is assigned; it is already assigned to unit ${f.UNIT}; to move it to another unit, re-assign it \\(改派\\)$`,
          ),
          { state: 'assigned', command: 'AssignIssue' },
        ));
    it.each(['in_progress', 'reopened'] as const)('when the unit is rectifying it: %s (naming the unit)', (status) =>
      spec
        .given(f.IN[status])
        .when(assign({}, 9))
        .thenThrows(IllegalTransition, new RegExp(`already assigned to unit ${f.UNIT}, which is rectifying it`), {
          state: status,
          command: 'AssignIssue',
        }),
    );
    it.each(['result_reported', 'accepted', 'closed', 'withdrawn'] as const)('when the issue is %s', (status) =>
      spec.given(f.IN[status]).when(assign({}, 9)).thenThrows(IllegalTransition, f.refusal('assign', status)),
    );
    it('covers every status but registered and triaged', () =>
      expect(f.statusesExcept('registered', 'triaged')).toEqual([
        'assigned',
        'in_progress',
        'result_reported',
        'accepted',
        'reopened',
        'closed',
        'withdrawn',
      ]));
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(assign())
        .thenThrows(NotFound, /does not exist/));
  });

  describe('bad commands', () => {
    it('a deadline that is not after the command', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ deadline: f.at(1) }))
        .thenThrows(InvalidCommand, /^deadline: must be after the time of the command/, { field: 'deadline' }));
    it('a deadline in the past', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ deadline: f.at(-24) }))
        .thenThrows(InvalidCommand, /^deadline: must be after/));
    it('a deadline without a time zone offset', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ deadline: '2026-03-12T09:00:00' }))
        .thenThrows(InvalidCommand, /^deadline: must be an ISO-8601 instant/));
    it('a deadline that is not a date at all', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ deadline: 'next Friday' }))
        .thenThrows(InvalidCommand, /^deadline/));
    it('the lead unit as a co-unit', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ coUnitIds: [f.UNIT] }))
        .thenThrows(InvalidCommand, /^coUnitIds: the lead unit cannot also be a co-unit/));
    it('no lead unit', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ leadUnitId: '' }))
        .thenThrows(InvalidCommand, /^leadUnitId/));
    it('a responsible person without a name', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ responsiblePerson: {} as never }))
        .thenThrows(InvalidCommand, /^responsiblePerson.name/, { field: 'responsiblePerson.name' }));
    it('an unknown mode', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ mode: 'solo' as never }))
        .thenThrows(InvalidCommand, /^mode: must be one of leader, counterpart, joint/));
    it('more working days than the public contract allows (ISSUE_LIMITS, 365)', () =>
      spec
        .given(f.IN.registered)
        .when(assign({ deadlineWorkingDays: ISSUE_LIMITS.deadlineWorkingDays.max + 1 }))
        .thenThrows(InvalidCommand, /^deadlineWorkingDays: must be a whole number from 1 to 365$/));
    it.each([0, -1, 2.5])('%s working days', (days) =>
      spec
        .given(f.IN.registered)
        .when(assign({ deadlineWorkingDays: days }))
        .thenThrows(InvalidCommand, /^deadlineWorkingDays/),
    );
  });
});
