import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('submit a plan (整改任务书、时间表): assigned|in_progress|reopened → in_progress', () => {
  const plan = f.command('SubmitPlan', { measures: [{ description: '培训', owner: '王五', dueDate: f.at(48) }] }, 2);

  it('from assigned', () => spec.given(f.IN.assigned).when(plan).then([f.planned]));
  it.each(['in_progress', 'reopened'])('from %s (a revised plan)', (status) => spec.given(f.IN[status]).when(plan).thenState((s) => expect(s.status).toBe('in_progress')));
  it('refuses a plan without measures', () => spec.given(f.IN.assigned).when(f.command('SubmitPlan', { measures: [] }, 2)).thenThrows(InvalidCommand, /measures/));
  it.each(f.statusesExcept('none', 'assigned', 'in_progress', 'reopened'))('is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(plan).thenThrows(IllegalTransition, new RegExp(`cannot submit a plan for an issue that is ${status}`)));
  it('tells a registered issue to be assigned first', () => spec.given(f.IN.registered).when(plan).thenThrows(IllegalTransition, /assign it first/));
});
