import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('close (销号备案): accepted → closed', () => {
  const close = (note?: string, hours = 8) => f.command('CloseIssue', note === undefined ? {} : { note }, hours);

  it('after a satisfied assessment: on time, with the verdict', () =>
    spec.given(f.IN.accepted).when(close()).then([f.closed]));
  it('after a basically satisfied assessment, with a note', () =>
    spec
      .given([...f.IN.result_reported, f.assessed('basically_satisfied')])
      .when(close('销号备案'))
      .then([
        {
          type: 'IssueClosed',
          data: {
            ...f.base(8),
            note: '销号备案',
            deadline: f.DEADLINE,
            onTime: true,
            verdict: 'basically_satisfied',
            leadUnitId: f.UNIT,
          },
        },
      ]));
  it('a late result closes late', () => {
    const late = f.changed(f.resultReported, { at: f.at(24 * 11), onTime: false });
    spec
      .given([f.registered, f.assigned, late, f.assessed('satisfied', 24 * 12)])
      .when(close(undefined, 24 * 12))
      .thenState((s) => expect(s).toMatchObject({ status: 'closed', closedOnTime: false }));
  });
  it('the escalations and findings stay on record', () =>
    spec
      .given([f.registered, f.assigned, f.escalated(2), f.resultReported, f.assessed('satisfied')])
      .when(close())
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'closed',
          escalationLevel: 2,
          escalations: [{ level: 2 }],
          closedAt: f.at(8),
        }),
      ));

  it.each(['assigned', 'in_progress', 'reopened'] as const)('is refused while the unit is rectifying: %s', (status) =>
    spec
      .given(f.IN[status])
      .when(close(undefined, 9))
      .thenThrows(IllegalTransition, new RegExp(`^cannot close an issue that is ${status}; only an accepted issue`), {
        state: status,
        command: 'CloseIssue',
      }),
  );
  it('is refused before the result is assessed', () =>
    spec
      .given(f.IN.result_reported)
      .when(close())
      .thenThrows(IllegalTransition, /assess its result first/));
  it('is refused when already closed', () =>
    spec
      .given(f.IN.closed)
      .when(close(undefined, 9))
      .thenThrows(IllegalTransition, /it is already closed/));
  it.each(['registered', 'triaged', 'withdrawn'] as const)('is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(close()).thenThrows(IllegalTransition, f.refusal('close', status)),
  );
  it('covers every status but accepted', () =>
    expect(f.statusesExcept('accepted')).toEqual([
      'registered',
      'triaged',
      'assigned',
      'in_progress',
      'result_reported',
      'reopened',
      'closed',
      'withdrawn',
    ]));
  it('an issue that does not exist is NotFound', () =>
    spec
      .given([])
      .when(close())
      .thenThrows(NotFound, /does not exist/));
  it('a blank note', () => spec.given(f.IN.accepted).when(close(' ')).thenThrows(InvalidCommand, /^note/));
});
