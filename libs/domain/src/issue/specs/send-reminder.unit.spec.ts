import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('send a reminder (the deadline worker): exactly once per deadline version and offset', () => {
  const remind = (deadlineVersion = 1, offset = 'P1D') => f.command('SendReminder', { deadlineVersion, offset }, 24 * 9);
  const sent = { type: 'ReminderSent' as const, data: { issueId: f.ISSUE, at: f.at(24 * 9), by: 'system:worker', deadlineVersion: 1, offset: 'P1D', deadline: f.DEADLINE, leadUnitId: f.UNIT } };

  it('records ReminderSent on an open issue', () => spec.given(f.IN.in_progress).when(remind()).then([sent]));
  it('records nothing the second time (a job that ran twice)', () => spec.given([...f.IN.in_progress, sent]).when(remind()).thenNothingHappens());
  it('records nothing for a stale deadline version (the deadline moved)', () =>
    spec.given([...f.IN.in_progress, f.extensionRequested, f.extensionApproved]).when(remind(1)).thenNothingHappens());
  it.each(['result_reported', 'accepted', 'closed', 'withdrawn', 'registered'])('records nothing when the issue is %s', (status) => spec.given(f.IN[status]).when(remind()).thenNothingHappens());
  it('refuses an issue that does not exist', () => spec.given([]).when(remind()).thenThrows(NotFound, /does not exist/));
});
