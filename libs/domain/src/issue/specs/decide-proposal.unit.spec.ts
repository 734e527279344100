import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { IssueEvent } from '../issue.events';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('decide a proposal: once, by a person; approval records the accountability in the same decision', () => {
  const withProposal: IssueEvent[] = [...f.IN.in_progress, f.proposed('p-1', 8)];
  const decide = (approved: unknown, note?: string, proposalId = 'p-1') =>
    f.command('DecideProposal', { proposalId, approved: approved as boolean, ...(note ? { note } : {}) }, 9);

  it('approved: ProposalApproved and the proposed measure as an AccountabilityRecorded', () =>
    spec
      .given(withProposal)
      .when(decide(true, '同意约谈'))
      .then([
        { type: 'ProposalApproved', data: { ...f.base(9), proposalId: 'p-1', note: '同意约谈' } },
        {
          type: 'AccountabilityRecorded',
          data: {
            ...f.base(9),
            measure: 'summons',
            target: { kind: 'unit', unitId: f.UNIT },
            reason: '弄虚作假 (同意约谈)',
            leadUnitId: f.UNIT,
          },
        },
      ]));
  it('approved: ProposalApproved and the proposed measure as an AccountabilityRecorded: the state after it', () =>
    spec
      .given(withProposal)
      .when(decide(true, '同意约谈'))
      .thenState((s) => {
        expect(s.proposals[0]).toMatchObject({ status: 'approved', decidedBy: f.registrar.id, note: '同意约谈' });
        expect(s.accountability).toHaveLength(1);
      }));

  it('rejected: ProposalRejected and no accountability', () =>
    spec
      .given(withProposal)
      .when(decide(false))
      .then([{ type: 'ProposalRejected', data: { ...f.base(9), proposalId: 'p-1', note: null } }]));
  it('rejected: ProposalRejected and no accountability: the state after it', () =>
    spec
      .given(withProposal)
      .when(decide(false))
      .thenState((s) => {
        expect(s.proposals[0].status).toBe('rejected');
        expect(s.accountability).toEqual([]);
      }));

  it('on a closed issue too', () =>
    spec
      .given([...f.IN.closed, f.proposed('p-1', 9)])
      .when(f.command('DecideProposal', { proposalId: 'p-1', approved: true }, 10))
      .thenState((s) => expect(s.accountability).toHaveLength(1)));

  describe('refused', () => {
    it.each(['approved', 'rejected'] as const)('a second decision after it was %s (409)', (first) => {
      const decided: IssueEvent = {
        type: first === 'approved' ? 'ProposalApproved' : 'ProposalRejected',
        data: { ...f.base(8.5), proposalId: 'p-1', note: null },
      };
      return spec
        .given([...withProposal, decided])
        .when(decide(true))
        .thenThrows(IllegalTransition, new RegExp(`already ${first}`));
    });
    it('an unknown proposal (404)', () =>
      spec
        .given(withProposal)
        .when(decide(true, undefined, 'p-404'))
        .thenThrows(NotFound, /p-404/));
    it('approved that is not a boolean', () =>
      spec
        .given(withProposal)
        .when(decide('yes'))
        .thenThrows(InvalidCommand, /approved/));
    it('a withdrawn issue', () =>
      spec
        .given([...f.IN.withdrawn, f.proposed('p-1', 8)])
        .when(decide(true))
        .thenThrows(IllegalTransition, /withdrawn/));
  });
});
