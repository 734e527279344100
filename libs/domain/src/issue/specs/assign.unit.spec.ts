import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('assign (交办): registered|triaged → assigned, deadline version 1', () => {
  const assign = (data: Partial<Parameters<typeof f.command<'AssignIssue'>>[1]> = {}) =>
    f.command('AssignIssue', { leadUnitId: f.UNIT, coUnitIds: [f.CO_UNIT], responsiblePerson: { name: '王五' }, deadline: f.DEADLINE, mode: 'counterpart', ...data }, 1);

  it('from registered', () => spec.given(f.IN.registered).when(assign()).then([f.assigned]));
  it('from triaged', () => spec.given(f.IN.triaged).when(assign()).thenState((s) => expect(s).toMatchObject({ status: 'assigned', deadlineVersion: 1, leadUnitId: f.UNIT })));
  it('keeps the working days the deadline was given in', () =>
    spec.given(f.IN.registered).when(assign({ deadlineWorkingDays: 5 })).thenState((s) => expect(s.deadlineWorkingDays).toBe(5)));
  it('refuses a deadline that is not after the command', () =>
    spec.given(f.IN.registered).when(assign({ deadline: f.at(0) })).thenThrows(InvalidCommand, /deadline: must be after/));
  it('refuses the lead unit as a co-unit', () =>
    spec.given(f.IN.registered).when(assign({ coUnitIds: [f.UNIT] })).thenThrows(InvalidCommand, /coUnitIds/));
  it('refuses an issue already assigned, naming the unit', () =>
    spec.given(f.IN.assigned).when(assign()).thenThrows(IllegalTransition, new RegExp(`already assigned to unit ${f.UNIT}`)));
  it.each(f.statusesExcept('none', 'registered', 'triaged'))('is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(assign()).thenThrows(IllegalTransition, new RegExp(`cannot assign an issue that is ${status}`)));
});
