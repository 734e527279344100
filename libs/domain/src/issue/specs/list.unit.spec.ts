import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe('red and black lists (红黑榜): black from assignment on, red once accepted or closed; each list once', () => {
  const list = (kind: 'red' | 'black', reason = '典型') => f.command('ListIssue', { list: kind, reason }, 9);

  describe('allowed', () => {
    it('black: foot-dragging, while it drags on', () =>
      spec
        .given(f.IN.in_progress)
        .when(list('black', '推诿扯皮'))
        .then([
          { type: 'IssueListed', data: { ...f.base(9), list: 'black', reason: '推诿扯皮', leadUnitId: f.UNIT } },
        ]));
    it.each(['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'] as const)(
      'black while %s',
      (status) =>
        spec
          .given(f.IN[status])
          .when(list('black'))
          .thenState((s) =>
            expect(s.lists).toEqual([{ list: 'black', reason: '典型', at: f.at(9), by: f.registrar.id }]),
          ),
    );
    it.each(['accepted', 'closed'] as const)('red: exemplary rectification, once %s', (status) =>
      spec
        .given(f.IN[status])
        .when(list('red'))
        .thenState((s) => expect(s.lists.map((l) => l.list)).toEqual(['red'])),
    );
    it('black after red (e.g. falsification found later)', () =>
      spec
        .given([...f.IN.closed, f.listed('red')])
        .when(list('black'))
        .thenState((s) => expect(s.lists.map((l) => l.list)).toEqual(['red', 'black'])));
  });

  describe('refused', () => {
    it.each(['red', 'black'] as const)('the %s list twice (AlreadyExists)', (kind) =>
      spec
        .given([...f.IN.closed, f.listed(kind)])
        .when(list(kind))
        .thenThrows(AlreadyExists, new RegExp(`already on the ${kind} list`)),
    );
    it.each(['assigned', 'in_progress', 'result_reported', 'reopened'] as const)(
      'red before acceptance: %s',
      (status) =>
        spec
          .given(f.IN[status])
          .when(list('red'))
          .thenThrows(
            IllegalTransition,
            new RegExp(
              `^cannot list an issue that is ${status}; only an accepted or closed issue can go on the red list`,
            ),
            { state: status, command: 'ListIssue' },
          ),
    );
    it('red when black-listed', () =>
      spec
        .given([...f.IN.closed, f.listed('black')])
        .when(list('red'))
        .thenThrows(IllegalTransition, /it is on the black list, so it cannot also go on the red list/));
    it.each(['registered', 'triaged'] as const)('either list before assignment: %s', (status) => {
      spec.given(f.IN[status]).when(list('black')).thenThrows(IllegalTransition, f.refusal('list', status));
      spec
        .given(f.IN[status])
        .when(list('red'))
        .thenThrows(IllegalTransition, /assign it first$/);
    });
    it('either list when withdrawn', () => {
      spec.given(f.IN.withdrawn).when(list('black')).thenThrows(IllegalTransition, f.refusal('list', 'withdrawn'));
      spec.given(f.IN.withdrawn).when(list('red')).thenThrows(IllegalTransition, f.refusal('list', 'withdrawn'));
    });
    it('covers every status that refuses both lists', () =>
      expect(f.statusesExcept('assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed')).toEqual([
        'registered',
        'triaged',
        'withdrawn',
      ]));
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(list('black'))
        .thenThrows(NotFound, /does not exist/));
    it('an unknown list', () =>
      spec
        .given(f.IN.closed)
        .when(list('grey' as never))
        .thenThrows(InvalidCommand, /^list: must be one of red, black/));
    it('a blank reason', () =>
      spec
        .given(f.IN.closed)
        .when(list('red', ''))
        .thenThrows(InvalidCommand, /^reason/));
  });
});
