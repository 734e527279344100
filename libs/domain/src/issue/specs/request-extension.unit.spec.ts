import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('request an extension (申请延期): open issues, one pending request at a time; the deadline does not move yet', () => {
  const request = (hours = 4, newDeadline = f.EXTENDED_DEADLINE, requestId = f.REQUEST, reason = '涉及工程招标') =>
    f.command('RequestExtension', { requestId, newDeadline, reason }, hours);

  describe('allowed', () => {
    it('while in progress: records the request with the id the caller chose', () =>
      spec.given(f.IN.in_progress).when(request()).then([f.extensionRequested]));
    it('the request is pending and the deadline unchanged', () =>
      spec
        .given(f.IN.in_progress)
        .when(request())
        .thenState((s) =>
          expect(s).toMatchObject({
            deadline: f.DEADLINE,
            deadlineVersion: 1,
            extensionRequests: [
              { requestId: f.REQUEST, status: 'pending', newDeadline: f.EXTENDED_DEADLINE, requestedBy: f.officer.id },
            ],
          }),
        ));
    it('while assigned', () =>
      spec
        .given(f.IN.assigned)
        .when(request())
        .thenState((s) => expect(s.extensionRequests).toHaveLength(1)));
    it('while reopened, beyond the new deadline', () =>
      spec
        .given(f.IN.reopened)
        .when(request(8, f.at(24 * 40)))
        .thenState((s) => expect(s.extensionRequests[0].status).toBe('pending')));
    it('again after the previous request was rejected', () =>
      spec
        .given([...f.IN.in_progress, f.extensionRequested, f.extensionRejected])
        .when(request(6, f.at(24 * 15), f.OTHER_REQUEST))
        .thenState((s) => expect(s.extensionRequests.map((r) => r.status)).toEqual(['rejected', 'pending'])));
    it('when already overdue, for a deadline after now', () =>
      spec
        .given(f.IN.in_progress)
        .when(request(24 * 11, f.at(24 * 12)))
        .thenState((s) => expect(s.extensionRequests).toHaveLength(1)));
  });

  describe('refused', () => {
    it('a second request while one is pending', () =>
      spec
        .given([...f.IN.in_progress, f.extensionRequested])
        .when(request(5, f.at(24 * 25), f.OTHER_REQUEST))
        .thenThrows(IllegalTransition, new RegExp(`request ${f.REQUEST} is still pending a decision`)));
    it('a request id that was used before (AlreadyExists)', () =>
      spec
        .given([...f.IN.in_progress, f.extensionRequested, f.extensionRejected])
        .when(request(6))
        .thenThrows(AlreadyExists, new RegExp(`already has an extension request ${f.REQUEST}`)));
    it.each(['registered', 'triaged'] as const)('before assignment: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(request())
        .thenThrows(IllegalTransition, /assign it first$/),
    );
    it.each(['result_reported', 'accepted', 'closed', 'withdrawn'] as const)('when the issue is %s', (status) =>
      spec
        .given(f.IN[status])
        .when(request(9))
        .thenThrows(IllegalTransition, f.refusal('request an extension for', status), {
          state: status,
          command: 'RequestExtension',
        }),
    );
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(request())
        .thenThrows(NotFound, /does not exist/));
  });

  describe('bad commands', () => {
    it('a new deadline that is not after the current one', () =>
      spec
        .given(f.IN.in_progress)
        .when(request(4, f.at(24 * 5)))
        .thenThrows(InvalidCommand, /^newDeadline: must be after the current deadline/, { field: 'newDeadline' }));
    it('a new deadline that is not after the command (overdue issue)', () =>
      spec
        .given(f.IN.in_progress)
        .when(request(24 * 11, f.at(24 * 10.5)))
        .thenThrows(InvalidCommand, /^newDeadline: must be after the time of the command/));
    it('a blank reason', () =>
      spec
        .given(f.IN.in_progress)
        .when(request(4, f.EXTENDED_DEADLINE, f.REQUEST, ''))
        .thenThrows(InvalidCommand, /^reason/));
    it('no request id', () =>
      spec
        .given(f.IN.in_progress)
        .when(request(4, f.EXTENDED_DEADLINE, ''))
        .thenThrows(InvalidCommand, /^requestId/));
  });
});
