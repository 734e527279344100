import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { IssueEvent } from '../issue.events';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

/**
 * The worker's reminder before a deadline. A reminder that no longer applies is refused (IllegalTransition:
 * the worker treats it as done); the same reminder again — same deadline version and offset — is a no-op,
 * so a job that runs twice records one ReminderSent.
 */
describe('send a reminder (the deadline worker): once per deadline version and offset, only while the deadline runs', () => {
  const remind = (deadlineVersion = 1, offset = 'P1D', hours = 24 * 9) =>
    f.command('SendReminder', { deadlineVersion, offset }, hours);
  const sent = (deadlineVersion = 1, offset = 'P1D', deadline = f.DEADLINE): IssueEvent => ({
    type: 'ReminderSent',
    data: {
      ...f.base(24 * 9, f.worker.id),
      deadlineVersion,
      offset,
      deadline,
      leadUnitId: f.UNIT,
      coUnitIds: [f.CO_UNIT],
    },
  });

  describe('allowed', () => {
    it('records the reminder for the lead and co-units', () =>
      spec.given(f.IN.in_progress).when(remind()).then([sent()]));
    it.each(['assigned', 'reopened'] as const)('while %s', (status) => {
      const version = status === 'reopened' ? 2 : 1;
      spec
        .given(f.IN[status])
        .when(remind(version))
        .thenState((s) => expect(s.reminders).toEqual([{ deadlineVersion: version, offset: 'P1D', at: f.at(24 * 9) }]));
    });
    it('another offset of the same deadline', () =>
      spec
        .given([...f.IN.in_progress, sent()])
        .when(remind(1, 'PT0S'))
        .thenState((s) => expect(s.reminders.map((r) => r.offset)).toEqual(['P1D', 'PT0S'])));
    it('the same offset again for a moved deadline (a new version)', () =>
      spec
        .given([...f.IN.in_progress, sent(), f.extensionRequested, f.extensionApproved])
        .when(remind(2))
        .thenState((s) => expect(s.reminders.map((r) => r.deadlineVersion)).toEqual([1, 2])));
  });

  describe('a repeat records nothing', () => {
    it('the same deadline version and offset', () =>
      spec
        .given([...f.IN.in_progress, sent()])
        .when(remind())
        .thenNothingHappens());
  });

  describe('refused when it no longer applies', () => {
    it('a stale deadline version (the deadline moved)', () =>
      spec
        .given([...f.IN.in_progress, f.extensionRequested, f.extensionApproved])
        .when(remind(1))
        .thenThrows(
          IllegalTransition,
          /the deadline moved \(version 2 now\): the reminder for version 1 no longer applies/,
          { state: 'in_progress', command: 'SendReminder' },
        ));
    it('a stale version even if it was sent before (applicability is checked first)', () =>
      spec
        .given([...f.IN.in_progress, sent(), f.extensionRequested, f.extensionApproved])
        .when(remind(1))
        .thenThrows(IllegalTransition, /no longer applies/));
    it.each(['registered', 'triaged'] as const)('no deadline runs yet: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(remind())
        .thenThrows(IllegalTransition, /no deadline runs before it is assigned/),
    );
    it.each(['result_reported', 'accepted'] as const)('the result is in: %s', (status) =>
      spec
        .given(f.IN[status])
        .when(remind())
        .thenThrows(IllegalTransition, /so no deadline runs/),
    );
    it.each(['closed', 'withdrawn'] as const)('the issue is %s', (status) =>
      spec.given(f.IN[status]).when(remind()).thenThrows(IllegalTransition, f.refusal('send a reminder for', status)),
    );
    it('covers every status but the open ones', () =>
      expect(f.statusesExcept('assigned', 'in_progress', 'reopened')).toEqual([
        'registered',
        'triaged',
        'result_reported',
        'accepted',
        'closed',
        'withdrawn',
      ]));
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(remind())
        .thenThrows(NotFound, /does not exist/));
  });

  describe('bad commands', () => {
    it('an offset that is not an ISO-8601 duration', () =>
      spec
        .given(f.IN.in_progress)
        .when(remind(1, '1 day'))
        .thenThrows(InvalidCommand, /^offset/, { field: 'offset' }));
    it('a deadline version below 1', () =>
      spec
        .given(f.IN.in_progress)
        .when(remind(0))
        .thenThrows(InvalidCommand, /^deadlineVersion/));
  });
});
