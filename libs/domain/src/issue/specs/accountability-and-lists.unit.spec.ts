import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('accountability (责任追究) and red/black lists (红黑榜)', () => {
  const measure = (target: { kind: 'person' | 'unit'; name?: string; unitId?: string }) => f.command('RecordAccountability', { measure: 'summons', target, reason: '整改不力' }, 9);
  const list = (kind: 'red' | 'black') => f.command('ListIssue', { list: kind, reason: '典型' }, 9);

  it.each(['assigned', 'in_progress', 'result_reported', 'closed'])('accountability on an assigned issue (%s, closed included)', (status) =>
    spec.given(f.IN[status]).when(measure({ kind: 'unit', unitId: f.UNIT })).thenState((s) => expect(s.accountability).toHaveLength(1)));
  it('a unit target needs its unitId', () => spec.given(f.IN.assigned).when(measure({ kind: 'unit' })).thenThrows(InvalidCommand, /target.unitId/));
  it('a person target needs a name', () => spec.given(f.IN.assigned).when(measure({ kind: 'person' })).thenThrows(InvalidCommand, /target.name/));
  it.each(['registered', 'triaged', 'withdrawn'])('accountability is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(measure({ kind: 'person', name: '王五' })).thenThrows(IllegalTransition, new RegExp(status)));

  it.each(['red', 'black'] as const)('lists on the %s list', (kind) => spec.given(f.IN.closed).when(list(kind)).thenState((s) => expect(s.lists.map((l) => l.list)).toEqual([kind])));
  it('refuses the same list twice', () =>
    spec.given([...f.IN.closed, { type: 'IssueListed', data: { issueId: f.ISSUE, at: f.at(9), by: 'reg-1', list: 'red', reason: 'x' } }]).when(list('red')).thenThrows(AlreadyExists, /already on the red list/));
  it.each(['registered', 'triaged', 'withdrawn'])('lists are refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(list('black')).thenThrows(IllegalTransition, new RegExp(status)));
});
