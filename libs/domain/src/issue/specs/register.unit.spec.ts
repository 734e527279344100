import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('register an issue (登记): none → registered', () => {
  const register = f.command('RegisterIssue', { source: 'hotline', category: '作风建设', title: '推诿扯皮', description: '多次往返未办结', reporter: { name: '李四', confidential: true } }, 0);

  it('records IssueRegistered with the reporter and defaults', () =>
    spec.given([]).when(register).then([f.registered]));

  it('keeps an origin link (e.g. the appraisal ballot that opened it)', () =>
    spec
      .given([])
      .when(f.command('RegisterIssue', { source: 'public_appraisal', category: 'c', title: 't', description: 'd', origin: { appraisalId: 'a-1' } }, 0))
      .thenState((s) => expect(s.origin).toEqual({ appraisalId: 'a-1' })));

  it.each(f.statusesExcept('none'))('is refused when the issue is already %s', (status) =>
    spec.given(f.IN[status]).when(register).thenThrows(AlreadyExists, /already registered/));
});
