import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('triage (分类研判): registered | triaged → triaged', () => {
  const triage = (
    data: { category?: string; priority?: 'normal' | 'high' | 'urgent'; note?: string } = {
      category: '窗口服务',
      priority: 'high',
    },
  ) => f.command('TriageIssue', data, 0.5);

  it('from registered: sets category and priority', () => spec.given(f.IN.registered).when(triage()).then([f.triaged]));
  it('again while triaged (a second look)', () =>
    spec
      .given(f.IN.triaged)
      .when(triage({ priority: 'urgent', note: '群众反映强烈' }))
      .thenState((s) =>
        expect(s).toMatchObject({
          status: 'triaged',
          priority: 'urgent',
          category: '窗口服务',
          triageNote: '群众反映强烈',
        }),
      ));
  it('keeps what it does not change', () =>
    spec
      .given(f.IN.registered)
      .when(triage({}))
      .then([
        { type: 'IssueTriaged', data: { ...f.base(0.5), category: '作风建设', priority: 'normal', note: null } },
      ]));

  it('refuses an unknown priority', () =>
    spec
      .given(f.IN.registered)
      .when(triage({ priority: 'asap' as never }))
      .thenThrows(InvalidCommand, /^priority: must be one of normal, high, urgent/));
  it('refuses a blank category', () =>
    spec
      .given(f.IN.registered)
      .when(triage({ category: '' }))
      .thenThrows(InvalidCommand, /^category/, { field: 'category' }));

  it.each(['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'] as const)(
    'is refused once assigned: %s',
    (status) =>
      spec
        .given(f.IN[status])
        .when(triage())
        .thenThrows(IllegalTransition, /triage comes before assignment/, { state: status, command: 'TriageIssue' }),
  );
  it('is refused when withdrawn', () =>
    spec.given(f.IN.withdrawn).when(triage()).thenThrows(IllegalTransition, f.refusal('triage', 'withdrawn')));
  it('covers every status but registered and triaged', () =>
    expect(f.statusesExcept('registered', 'triaged')).toEqual([
      'assigned',
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
      .when(triage())
      .thenThrows(NotFound, /does not exist/));
});
