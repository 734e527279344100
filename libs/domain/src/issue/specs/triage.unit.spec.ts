import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('triage (分类定级): registered|triaged → triaged', () => {
  const triage = f.command('TriageIssue', { category: '窗口服务', priority: 'high' }, 0.5);

  it('records the category and priority', () => spec.given(f.IN.registered).when(triage).then([f.triaged]));
  it('may be repeated before assignment', () =>
    spec.given(f.IN.triaged).when(f.command('TriageIssue', { priority: 'urgent' }, 0.6)).thenState((s) => expect(s).toMatchObject({ status: 'triaged', priority: 'urgent', category: '窗口服务' })));
  it('is refused on an issue that does not exist', () => spec.given([]).when(triage).thenThrows(NotFound, /does not exist/));
  it.each(f.statusesExcept('none', 'registered', 'triaged'))('is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(triage).thenThrows(IllegalTransition, new RegExp(`cannot triage an issue that is ${status}`)));
});
