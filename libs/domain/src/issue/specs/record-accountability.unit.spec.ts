import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { AccountabilityTarget } from '../issue.vocabulary';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('record accountability (责任追究): from assignment on, closed included', () => {
  const record = (
    target: Partial<AccountabilityTarget> = { kind: 'unit', unitId: f.UNIT },
    measure = 'summons',
    reason = '整改不力',
  ) =>
    f.command('RecordAccountability', { measure: measure as never, target: target as AccountabilityTarget, reason }, 9);

  describe('allowed', () => {
    it.each(['reminder_talk', 'organisational_adjustment', 'honours_disqualification'])(
      "the measures the seeds name: %s, against a unit's principal leader (主要负责人)",
      (measure) =>
        spec
          .given(f.IN.in_progress)
          .when(record({ kind: 'person', name: '赵局长', unitId: f.UNIT, principal: true }, measure))
          .thenState((s) =>
            expect(s.accountability.at(-1)).toMatchObject({
              measure,
              target: { kind: 'person', name: '赵局长', unitId: f.UNIT, principal: true },
            }),
          ),
    );
    it('refuses a principal flag that is not a boolean', () =>
      spec
        .given(f.IN.in_progress)
        .when(record({ kind: 'person', name: '赵局长', principal: 'yes' as never }))
        .thenThrows(InvalidCommand, /target.principal/));
    it('a summons of the lead unit', () =>
      spec
        .given(f.IN.in_progress)
        .when(record())
        .then([
          {
            type: 'AccountabilityRecorded',
            data: {
              ...f.base(9),
              measure: 'summons',
              target: { kind: 'unit', unitId: f.UNIT },
              reason: '整改不力',
              leadUnitId: f.UNIT,
            },
          },
        ]));
    it.each(['criticism_notice', 'summons', 'admonishment', 'disciplinary_referral'])(
      'the measure %s against a person of a unit',
      (measure) =>
        spec
          .given(f.IN.closed)
          .when(record({ kind: 'person', name: '王五', unitId: f.UNIT }, measure))
          .thenState((s) =>
            expect(s.accountability).toEqual([
              {
                measure,
                target: { kind: 'person', name: '王五', unitId: f.UNIT },
                reason: '整改不力',
                at: f.at(9),
                by: f.registrar.id,
              },
            ]),
          ),
    );
    it.each(['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'] as const)(
      'while %s',
      (status) =>
        spec
          .given(f.IN[status])
          .when(record())
          .thenState((s) => expect(s.accountability).toHaveLength(1)),
    );
  });

  describe('refused', () => {
    it.each(['registered', 'triaged'] as const)('before assignment: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(record())
        .thenThrows(
          IllegalTransition,
          /assign it first: accountability follows from how an assigned issue was handled/,
          { state: status },
        ),
    );
    it('when withdrawn (duplicate or unfounded)', () =>
      spec
        .given(f.IN.withdrawn)
        .when(record())
        .thenThrows(IllegalTransition, f.refusal('record accountability on', 'withdrawn')));
    it('covers every status that refuses', () =>
      expect(f.statusesExcept('assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed')).toEqual([
        'registered',
        'triaged',
        'withdrawn',
      ]));
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(record())
        .thenThrows(NotFound, /does not exist/));
  });

  describe('bad commands', () => {
    it('a unit target without its unitId', () =>
      spec
        .given(f.IN.assigned)
        .when(record({ kind: 'unit' }))
        .thenThrows(InvalidCommand, /^target.unitId: a unit target needs unitId/, { field: 'target.unitId' }));
    it('a person target without a name', () =>
      spec
        .given(f.IN.assigned)
        .when(record({ kind: 'person', unitId: f.UNIT }))
        .thenThrows(InvalidCommand, /^target.name: a person target needs name/));
    it('an unknown target kind', () =>
      spec
        .given(f.IN.assigned)
        .when(record({ kind: 'team' as never, name: 'x' }))
        .thenThrows(InvalidCommand, /^target.kind/));
    it('no target', () =>
      spec
        .given(f.IN.assigned)
        .when(f.command('RecordAccountability', { measure: 'summons', reason: 'x' } as never))
        .thenThrows(InvalidCommand, /^target/));
    it('an unknown measure', () =>
      spec
        .given(f.IN.assigned)
        .when(record(undefined, 'fine'))
        .thenThrows(
          InvalidCommand,
          /^measure: must be one of criticism_notice, summons, admonishment, disciplinary_referral/,
        ));
    it('a blank reason', () =>
      spec
        .given(f.IN.assigned)
        .when(record(undefined, 'summons', ''))
        .thenThrows(InvalidCommand, /^reason/));
  });
});
