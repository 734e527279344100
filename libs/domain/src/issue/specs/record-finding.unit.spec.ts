import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('record a finding (整改不扎实不到位、弄虚作假): against the lead unit, from assignment on, closed included', () => {
  const finding = (kind: 'perfunctory' | 'falsified' = 'falsified', note = '整改材料与现场不符') =>
    f.command('RecordFinding', { kind, note }, 9);

  it('records it against the lead unit', () =>
    spec
      .given(f.IN.closed)
      .when(finding())
      .then([
        {
          type: 'FindingRecorded',
          data: { ...f.base(9), kind: 'falsified', note: '整改材料与现场不符', leadUnitId: f.UNIT },
        },
      ]));
  it.each(['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'] as const)(
    'while %s (an undercover check may find it at any point of the rectification)',
    (status) =>
      spec
        .given(f.IN[status])
        .when(finding('perfunctory'))
        .thenState((s) =>
          expect(s.findings).toEqual([
            { kind: 'perfunctory', note: '整改材料与现场不符', at: f.at(9), by: f.registrar.id },
          ]),
        ),
  );
  it('does not change the status', () =>
    spec
      .given(f.IN.accepted)
      .when(finding())
      .thenState((s) => expect(s.status).toBe('accepted')));

  it.each(['registered', 'triaged'] as const)('is refused before assignment: %s (no unit to count against)', (status) =>
    spec
      .given(f.IN[status])
      .when(finding())
      .thenThrows(IllegalTransition, /assign it first: a finding counts against the unit rectifying it/, {
        state: status,
        command: 'RecordFinding',
      }),
  );
  it('is refused when withdrawn', () =>
    spec
      .given(f.IN.withdrawn)
      .when(finding())
      .thenThrows(IllegalTransition, f.refusal('record a finding on', 'withdrawn')));
  it('covers every status that refuses', () =>
    expect(f.statusesExcept('assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed')).toEqual([
      'registered',
      'triaged',
      'withdrawn',
    ]));
  it('an issue that does not exist is NotFound', () =>
    spec
      .given([])
      .when(finding())
      .thenThrows(NotFound, /does not exist/));
  it('an unknown kind', () =>
    spec
      .given(f.IN.closed)
      .when(finding('lazy' as never))
      .thenThrows(InvalidCommand, /^kind: must be one of perfunctory, falsified/));
  it('a blank note', () =>
    spec.given(f.IN.closed).when(finding('perfunctory', '')).thenThrows(InvalidCommand, /^note/));
});
