import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { ReassignIssue } from '../issue.commands';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('re-assign (改派): assigned → assigned to another unit, a new deadline version, before the unit has started', () => {
  const reassign = (data: Partial<ReassignIssue['data']> = {}, hours = 2) =>
    f.command(
      'ReassignIssue',
      {
        leadUnitId: f.OTHER_UNIT,
        coUnitIds: [],
        responsiblePerson: { name: '赵六' },
        deadline: f.EXTENDED_DEADLINE,
        mode: 'counterpart',
        reason: '职责不符，退回改派',
        ...data,
      },
      hours,
    );

  describe('allowed', () => {
    it('moves the issue to another unit, naming the previous one and why', () =>
      spec
        .given(f.IN.assigned)
        .when(reassign())
        .then([
          {
            type: 'IssueAssigned',
            data: {
              ...f.base(2),
              leadUnitId: f.OTHER_UNIT,
              coUnitIds: [],
              responsiblePerson: { name: '赵六' },
              deadline: f.EXTENDED_DEADLINE,
              deadlineWorkingDays: null,
              deadlineVersion: 2,
              instructions: null,
              mode: 'counterpart',
              previousLeadUnitId: f.UNIT,
              reason: '职责不符，退回改派',
            },
          },
        ]));
    it('the state shows the new unit, the new deadline and the re-assignment', () =>
      spec
        .given(f.IN.assigned)
        .when(reassign())
        .thenState((s) =>
          expect(s).toMatchObject({
            status: 'assigned',
            leadUnitId: f.OTHER_UNIT,
            coUnitIds: [],
            deadline: f.EXTENDED_DEADLINE,
            deadlineVersion: 2,
            assignedAt: f.at(2),
            reassignments: [
              {
                previousLeadUnitId: f.UNIT,
                leadUnitId: f.OTHER_UNIT,
                reason: '职责不符，退回改派',
                at: f.at(2),
                by: f.registrar.id,
              },
            ],
            deadlineHistory: [{ because: 'assigned' }, { because: 'reassigned', deadlineVersion: 2 }],
          }),
        ));
    it('keeps the escalation level (escalations never go down)', () =>
      spec
        .given([...f.IN.assigned, f.escalated(1)])
        .when(reassign({}, 9))
        .thenState((s) =>
          expect(s).toMatchObject({ escalationLevel: 1, leadUnitId: f.OTHER_UNIT, deadlineVersion: 2 }),
        ));
    it('after a decided extension request', () =>
      spec
        .given([...f.IN.assigned, f.extensionRequested, f.extensionApproved])
        .when(reassign({}, 9))
        .thenState((s) => expect(s.deadlineVersion).toBe(3)));
    it('to the same unit with other terms', () =>
      spec
        .given(f.IN.assigned)
        .when(reassign({ leadUnitId: f.UNIT, mode: 'leader' }))
        .thenState((s) => expect(s.mode).toBe('leader')));
  });

  describe('refused', () => {
    it('while an extension request is pending', () =>
      spec
        .given([...f.IN.assigned, f.extensionRequested])
        .when(reassign({}, 9))
        .thenThrows(
          IllegalTransition,
          new RegExp(`decide extension request ${f.REQUEST} of unit ${f.UNIT} before re-assigning it`),
        ));
    it.each(['in_progress', 'reopened'] as const)('once the unit has started: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(reassign({}, 9))
        .thenThrows(
          IllegalTransition,
          new RegExp(`^cannot re-assign an issue that is ${status}; unit ${f.UNIT} has started rectifying it`),
          { state: status, command: 'ReassignIssue' },
        ),
    );
    it.each(['registered', 'triaged'] as const)('before the first assignment: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(reassign())
        .thenThrows(IllegalTransition, /assign it first$/),
    );
    it.each(['result_reported', 'accepted', 'closed', 'withdrawn'] as const)('when the issue is %s', (status) =>
      spec.given(f.IN[status]).when(reassign({}, 9)).thenThrows(IllegalTransition, f.refusal('re-assign', status)),
    );
    it('covers every status but assigned', () =>
      expect(f.statusesExcept('assigned')).toEqual([
        'registered',
        'triaged',
        'in_progress',
        'result_reported',
        'accepted',
        'reopened',
        'closed',
        'withdrawn',
      ]));
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(reassign())
        .thenThrows(NotFound, /does not exist/));
  });

  describe('bad commands', () => {
    it('no reason', () =>
      spec
        .given(f.IN.assigned)
        .when(reassign({ reason: '' }))
        .thenThrows(InvalidCommand, /^reason/, { field: 'reason' }));
    it('a deadline that is not after the command', () =>
      spec
        .given(f.IN.assigned)
        .when(reassign({ deadline: f.at(1) }))
        .thenThrows(InvalidCommand, /^deadline: must be after/));
    it('the lead unit as a co-unit', () =>
      spec
        .given(f.IN.assigned)
        .when(reassign({ coUnitIds: [f.OTHER_UNIT] }))
        .thenThrows(InvalidCommand, /^coUnitIds/));
  });
});
