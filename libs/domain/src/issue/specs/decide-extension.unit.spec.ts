import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('decide an extension: approve moves the deadline (version + 1), reject does not', () => {
  const decide = (approved: boolean, requestId = f.REQUEST) => f.command('DecideExtension', { requestId, approved }, 5);
  const pending = [...f.IN.in_progress, f.extensionRequested];

  it('approval moves the deadline and bumps its version', () => spec.given(pending).when(decide(true)).then([f.extensionApproved]));
  it('rejection keeps the deadline', () =>
    spec.given(pending).when(decide(false)).thenState((s) => expect(s).toMatchObject({ deadline: f.DEADLINE, deadlineVersion: 1, extensionRequests: [{ status: 'rejected' }] })));
  it('an unknown request is NotFound', () => spec.given(pending).when(decide(true, '99999999-9999-4999-8999-999999999999')).thenThrows(NotFound, /no extension request/));
  it('a decided request cannot be decided again', () => spec.given([...pending, f.extensionApproved]).when(decide(false)).thenThrows(IllegalTransition, /already approved/));
  it.each(['closed', 'withdrawn', 'result_reported', 'accepted'])('is refused when the issue is %s', (status) =>
    spec.given([...f.IN[status], f.extensionRequested]).when(decide(true)).thenThrows(IllegalTransition, new RegExp(status)));
});
