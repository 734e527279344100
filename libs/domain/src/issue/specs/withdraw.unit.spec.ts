import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('withdraw (duplicate or unfounded): only before a result is reported', () => {
  const withdraw = f.command('WithdrawIssue', { reason: '重复件' }, 1);
  it('from registered', () => spec.given(f.IN.registered).when(withdraw).then([f.withdrawn]));
  it.each(['triaged', 'assigned', 'in_progress'])('from %s', (status) => spec.given(f.IN[status]).when(withdraw).thenState((s) => expect(s.status).toBe('withdrawn')));
  it.each(['result_reported', 'accepted', 'reopened', 'closed'])('is refused once a result was reported: %s', (status) =>
    spec.given(f.IN[status]).when(withdraw).thenThrows(IllegalTransition, /a result has already been reported/));
  it('is refused when already withdrawn', () => spec.given(f.IN.withdrawn).when(withdraw).thenThrows(IllegalTransition, /cannot withdraw an issue that is withdrawn/));
});
