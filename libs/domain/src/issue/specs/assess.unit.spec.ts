import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('assess the result (整改评议): result_reported → accepted, or → reopened when unsatisfied', () => {
  const assess = (verdict: 'satisfied' | 'basically_satisfied' | 'unsatisfied', newDeadline?: string) =>
    f.command('AssessResult', { verdict, ...(verdict === 'unsatisfied' ? { comment: '不满意' } : {}), ...(newDeadline ? { newDeadline } : {}) }, 7);

  it('satisfied (满意) accepts it', () => spec.given(f.IN.result_reported).when(assess('satisfied')).then([f.assessedSatisfied]));
  it('basically satisfied (基本满意) accepts it', () => spec.given(f.IN.result_reported).when(assess('basically_satisfied')).thenState((s) => expect(s.status).toBe('accepted')));
  it('unsatisfied (不满意) reopens it with a new deadline, version + 1', () =>
    spec.given(f.IN.result_reported).when(assess('unsatisfied', f.at(24 * 30))).then([f.assessedUnsatisfied, f.reopened]));
  it('unsatisfied without a new deadline is refused', () => spec.given(f.IN.result_reported).when(assess('unsatisfied')).thenThrows(InvalidCommand, /newDeadline: is required/));
  it('a new deadline with a satisfied verdict is refused', () =>
    spec.given(f.IN.result_reported).when(f.command('AssessResult', { verdict: 'satisfied', newDeadline: f.at(300) }, 7)).thenThrows(InvalidCommand, /newDeadline/));
  it.each(f.statusesExcept('none', 'result_reported'))('is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(assess('satisfied')).thenThrows(IllegalTransition, new RegExp(`cannot assess an issue that is ${status}`)));
});
