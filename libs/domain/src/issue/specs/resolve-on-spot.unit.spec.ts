import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { IssueResolvedOnSpot } from '../issue.events';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

const resolved = (fromStatus: 'registered' | 'triaged', hours = 2): IssueResolvedOnSpot => ({
  type: 'IssueResolvedOnSpot',
  data: { ...f.base(hours), summary: '现场督促窗口当场办结', evidence: ['photo-1.jpg'], fromStatus },
});

describe('resolve on the spot (立行立改): registered | triaged → closed with resolution on_spot, no unit assigned', () => {
  const resolve = (data: { summary?: string; evidence?: string[] } = {}, hours = 2) =>
    f.command('ResolveOnSpot', { summary: '现场督促窗口当场办结', evidence: ['photo-1.jpg'], ...data }, hours);

  describe('allowed', () => {
    it('from registered', () =>
      spec
        .given(f.IN.registered)
        .when(resolve())
        .then([resolved('registered')]));
    it('from triaged, remembering where it was', () =>
      spec
        .given(f.IN.triaged)
        .when(resolve())
        .then([resolved('triaged')]));
    it('closes the issue: resolution on_spot, closed at the command, neither on time nor late', () =>
      spec
        .given(f.IN.registered)
        .when(resolve({}, 3))
        .thenState((s) =>
          expect(s).toMatchObject({
            status: 'closed',
            resolution: 'on_spot',
            closedAt: f.at(3),
            closedOnTime: null,
            leadUnitId: null,
            assignedAt: null,
            onSpot: { summary: '现场督促窗口当场办结', evidence: ['photo-1.jpg'], at: f.at(3), by: f.registrar.id },
          }),
        ));
    it('evidence is optional', () =>
      spec
        .given(f.IN.registered)
        .when(f.command('ResolveOnSpot', { summary: '当场整改' }, 2))
        .thenState((s) => expect(s.onSpot?.evidence).toEqual([])));
    it('a closing after rectification is resolution rectified', () =>
      spec
        .given(f.IN.accepted)
        .when(f.command('CloseIssue', {}, 8))
        .thenState((s) => expect(s.resolution).toBe('rectified')));
  });

  describe('refused, naming the state', () => {
    it.each(['assigned', 'in_progress', 'reopened'] as const)('%s: a unit is already rectifying it', (status) =>
      spec
        .given(f.IN[status])
        .when(resolve())
        .thenThrows(
          IllegalTransition,
          new RegExp(`^cannot resolve on the spot an issue that is ${status}; a unit is already rectifying it`),
          { state: status },
        ),
    );
    it.each(['result_reported', 'accepted', 'closed', 'withdrawn'] as const)('%s', (status) =>
      spec
        .given(f.IN[status])
        .when(resolve())
        .thenThrows(IllegalTransition, f.refusal('resolve on the spot', status), { state: status }),
    );
    it('twice: it was already resolved on the spot', () =>
      spec
        .given([...f.IN.registered, resolved('registered')])
        .when(resolve({}, 4))
        .thenThrows(IllegalTransition, /an issue that is closed; it was already resolved on the spot$/));
    it('covers every status that refuses', () =>
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
        .when(resolve())
        .thenThrows(NotFound, /does not exist/));
    it('no summary', () =>
      spec
        .given(f.IN.registered)
        .when(resolve({ summary: '' }))
        .thenThrows(InvalidCommand, /^summary/));
  });

  describe('an issue resolved on the spot has no unit to hold to account', () => {
    const after = [...f.IN.registered, resolved('registered')];
    it('reopening (回头看) is refused: register a new issue', () =>
      spec
        .given(after)
        .when(f.command('ReopenIssue', { reason: '问题反弹', deadline: f.REOPENED_DEADLINE }, 5))
        .thenThrows(IllegalTransition, /resolved on the spot \(立行立改\) and never assigned/));
    it('a finding is refused', () =>
      spec
        .given(after)
        .when(f.command('RecordFinding', { kind: 'falsified', note: '弄虚作假' }, 5))
        .thenThrows(IllegalTransition, /never assigned, so no unit answers for it/));
  });
});
