import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { IssueEvent } from '../issue.events';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('decide an extension request: approval moves the deadline (version + 1), rejection does not', () => {
  const decide = (approved: boolean, requestId = f.REQUEST, hours = 5, note?: string) =>
    f.command('DecideExtension', { requestId, approved, ...(note ? { note } : {}) }, hours);
  const pendingWhile = (history: IssueEvent[]) => [...history, f.extensionRequested];

  describe('allowed on a pending request of an open issue', () => {
    it('approval: the requested deadline, version 2', () =>
      spec.given(pendingWhile(f.IN.in_progress)).when(decide(true)).then([f.extensionApproved]));
    it('approval: the deadline moves and the request is approved', () =>
      spec
        .given(pendingWhile(f.IN.in_progress))
        .when(decide(true, f.REQUEST, 5, '同意'))
        .thenState((s) =>
          expect(s).toMatchObject({
            deadline: f.EXTENDED_DEADLINE,
            deadlineVersion: 2,
            extensionRequests: [{ status: 'approved', note: '同意', decidedAt: f.at(5), decidedBy: f.registrar.id }],
          }),
        ));
    it('rejection: recorded with its note', () =>
      spec
        .given(pendingWhile(f.IN.in_progress))
        .when(decide(false, f.REQUEST, 5, '理由不充分'))
        .then([f.extensionRejected]));
    it('rejection: the deadline stays', () =>
      spec
        .given(pendingWhile(f.IN.in_progress))
        .when(decide(false))
        .thenState((s) =>
          expect(s).toMatchObject({
            deadline: f.DEADLINE,
            deadlineVersion: 1,
            extensionRequests: [{ status: 'rejected' }],
          }),
        ));
    it('while assigned', () =>
      spec
        .given(pendingWhile(f.IN.assigned))
        .when(decide(true))
        .thenState((s) => expect(s.deadlineVersion).toBe(2)));
    it('while reopened: version 3', () =>
      spec
        .given([...f.IN.reopened, f.changed(f.extensionRequested, { at: f.at(7.5), newDeadline: f.at(24 * 40) })])
        .when(decide(true, f.REQUEST, 8))
        .thenState((s) => expect(s).toMatchObject({ deadline: f.at(24 * 40), deadlineVersion: 3 })));
  });

  describe('refused', () => {
    it('an unknown request (NotFound)', () =>
      spec
        .given(pendingWhile(f.IN.in_progress))
        .when(decide(true, f.OTHER_REQUEST))
        .thenThrows(NotFound, new RegExp(`has no extension request ${f.OTHER_REQUEST}`)));
    it('a request on an issue that has none (NotFound)', () =>
      spec
        .given(f.IN.assigned)
        .when(decide(true))
        .thenThrows(NotFound, /no extension request/));
    it.each([
      ['approved', f.extensionApproved],
      ['rejected', f.extensionRejected],
    ] as const)('a request already %s', (status, decision) =>
      spec
        .given([...pendingWhile(f.IN.in_progress), decision])
        .when(decide(true, f.REQUEST, 6))
        .thenThrows(IllegalTransition, new RegExp(`request ${f.REQUEST} was already ${status}`)),
    );
    it('a request that lapsed when the result was reported (result_reported)', () =>
      spec
        .given([...pendingWhile(f.IN.in_progress), f.resultReported, f.lapsed(6, 'result_reported')])
        .when(decide(true, f.REQUEST, 7))
        .thenThrows(
          IllegalTransition,
          /^cannot decide an extension request of an issue that is result_reported; request .* was already lapsed/,
          { state: 'result_reported' },
        ));
    it.each(['accepted', 'reopened', 'closed'] as const)('a lapsed request on an issue that is now %s', (status) => {
      const history = [
        f.registered,
        f.assigned,
        f.planned,
        f.extensionRequested,
        f.resultReported,
        f.lapsed(6, 'result_reported'),
        ...f.IN[status].slice(4),
      ];
      spec
        .given(history)
        .when(decide(true, f.REQUEST, 9))
        .thenThrows(IllegalTransition, f.refusal('decide an extension request of', status));
    });
    it('a lapsed request on a withdrawn issue', () =>
      spec
        .given([
          ...pendingWhile(f.IN.assigned),
          f.changed(f.withdrawn, { at: f.at(5), fromStatus: 'assigned' }),
          f.lapsed(5, 'withdrawn', f.registrar.id),
        ])
        .when(decide(true, f.REQUEST, 6))
        .thenThrows(IllegalTransition, f.refusal('decide an extension request of', 'withdrawn')));
    it.each(['registered', 'triaged'] as const)('no request can exist before assignment: %s (NotFound)', (status) =>
      spec.given(f.IN[status]).when(decide(true)).thenThrows(NotFound),
    );
    it('approving a requested deadline that has already passed: reject it instead', () =>
      spec
        .given(pendingWhile(f.IN.in_progress))
        .when(decide(true, f.REQUEST, 24 * 21))
        .thenThrows(IllegalTransition, /the requested deadline .* has already passed; reject request/));
    it('rejecting a requested deadline that has passed is fine', () =>
      spec
        .given(pendingWhile(f.IN.in_progress))
        .when(decide(false, f.REQUEST, 24 * 21))
        .thenState((s) => expect(s.extensionRequests[0].status).toBe('rejected')));
    it('a decision that is not true or false', () =>
      spec
        .given(pendingWhile(f.IN.in_progress))
        .when(decide('yes' as never))
        .thenThrows(InvalidCommand, /^approved/));
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(decide(true))
        .thenThrows(NotFound, /does not exist/));
  });
});
