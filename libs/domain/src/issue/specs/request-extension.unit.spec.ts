import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('request an extension: open issues, one pending at a time', () => {
  const request = (hours = 4, newDeadline = f.at(24 * 20), requestId = f.REQUEST) => f.command('RequestExtension', { requestId, newDeadline, reason: '招标' }, hours);

  it('records the request', () => spec.given(f.IN.in_progress).when(request()).then([f.extensionRequested]));
  it.each(['assigned', 'reopened'])('also while %s', (status) => spec.given(f.IN[status]).when(request(8, f.at(24 * 40))).thenState((s) => expect(s.extensionRequests).toHaveLength(1)));
  it('refuses a second request while one is pending', () =>
    spec.given([...f.IN.in_progress, f.extensionRequested]).when(request(5, f.at(24 * 25), '55555555-5555-4555-8555-555555555555')).thenThrows(IllegalTransition, /still pending/));
  it('refuses a new deadline that is not after the current one', () =>
    spec.given(f.IN.in_progress).when(request(4, f.at(24 * 5))).thenThrows(InvalidCommand, /newDeadline: must be after the current deadline/));
  it.each(f.statusesExcept('none', 'assigned', 'in_progress', 'reopened'))('is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(request()).thenThrows(IllegalTransition, new RegExp(`cannot request an extension for an issue that is ${status}`)));
});
