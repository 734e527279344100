import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('close and file (销号备案): accepted → closed', () => {
  const close = f.command('CloseIssue', {}, 8);
  it('from accepted', () => spec.given(f.IN.accepted).when(close).then([f.closed]));
  it.each(f.statusesExcept('none', 'accepted'))('is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(close).thenThrows(IllegalTransition, new RegExp(`cannot close an issue that is ${status}`)));
});
