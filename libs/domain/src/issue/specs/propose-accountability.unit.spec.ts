import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand } from '../../errors';
import { issueDecider } from '../issue.decider';
import { issueView } from '../issue.state';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
const consequences = { id: 'system:consequences', role: 'system' } as const;

describe('propose accountability: a measure awaiting a person’s decision, caused by an event', () => {
  const propose = (data: Record<string, unknown> = {}, status = 'p-1') =>
    f.command(
      'ProposeAccountability',
      {
        proposalId: status,
        kind: 'summons',
        target: { kind: 'person', name: '赵局长', unitId: f.UNIT, principal: true },
        reason: '弄虚作假，约谈主要负责人',
        causedBy: 'evt-9',
        ...data,
      } as never,
      9,
      consequences,
    );

  it('records the proposal, pending, with the event that caused it; the view lists it', () =>
    spec
      .given(f.IN.in_progress)
      .when(propose())
      .then([
        {
          type: 'AccountabilityProposed',
          data: {
            ...f.base(9, consequences.id),
            proposalId: 'p-1',
            kind: 'summons',
            target: { kind: 'person', name: '赵局长', unitId: f.UNIT, principal: true },
            reason: '弄虚作假，约谈主要负责人',
            causedBy: 'evt-9',
            leadUnitId: f.UNIT,
          },
        },
      ]));
  it('records the proposal, pending, with the event that caused it; the view lists it: the state after it', () =>
    spec
      .given(f.IN.in_progress)
      .when(propose())
      .thenState((s) =>
        expect(issueView(s).proposals).toEqual([
          expect.objectContaining({ id: 'p-1', kind: 'summons', status: 'pending', causedBy: 'evt-9' }),
        ]),
      ));

  it('on a closed issue too (回头看 finds falsification later)', () =>
    spec
      .given(f.IN.closed)
      .when(propose())
      .thenState((s) => expect(s.proposals).toHaveLength(1)));

  it('a person may propose without a causing event (causedBy null)', () =>
    spec
      .given(f.IN.assigned)
      .when(propose({ causedBy: undefined }))
      .thenState((s) => expect(s.proposals[0].causedBy).toBeNull()));

  describe('refused', () => {
    it('the same proposal id twice (409, nothing appended)', () =>
      spec
        .given([...f.IN.in_progress, f.proposed('p-1', 8)])
        .when(propose())
        .thenThrows(AlreadyExists, /p-1/));
    it('before assignment: no unit to hold to account', () =>
      spec
        .given(f.IN.registered)
        .when(propose())
        .thenThrows(IllegalTransition, /assign it first/));
    it('a withdrawn issue', () => spec.given(f.IN.withdrawn).when(propose()).thenThrows(IllegalTransition));
    it('a kind that is not an accountability measure', () =>
      spec
        .given(f.IN.in_progress)
        .when(propose({ kind: 'fine' }))
        .thenThrows(InvalidCommand, /kind/));
    it('a person target without a name', () =>
      spec
        .given(f.IN.in_progress)
        .when(propose({ target: { kind: 'person' } }))
        .thenThrows(InvalidCommand, /target.name/));
    it('a blank reason', () =>
      spec
        .given(f.IN.in_progress)
        .when(propose({ reason: ' ' }))
        .thenThrows(InvalidCommand, /reason/));
  });
});
