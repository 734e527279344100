import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('report progress (按月上报工作进度): assigned|in_progress|reopened → in_progress', () => {
  const progress = f.command('ReportProgress', { text: '已培训', percent: 50 }, 3);

  it('from in_progress', () => spec.given(f.IN.in_progress).when(progress).then([f.progressed]));
  it('from assigned (no plan needed: 立行立改)', () => spec.given(f.IN.assigned).when(progress).thenState((s) => expect(s.status).toBe('in_progress')));
  it('from reopened it resumes the work', () => spec.given(f.IN.reopened).when(progress).thenState((s) => expect(s.status).toBe('in_progress')));
  it('refuses a percent outside 0..100', () => spec.given(f.IN.assigned).when(f.command('ReportProgress', { text: 't', percent: 120 }, 3)).thenThrows(InvalidCommand, /percent/));
  it.each(f.statusesExcept('none', 'assigned', 'in_progress', 'reopened'))('is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(progress).thenThrows(IllegalTransition, new RegExp(`cannot report progress on an issue that is ${status}`)));
});
