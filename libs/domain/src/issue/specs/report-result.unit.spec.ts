import { DeciderSpecification } from '../../testing/decider-spec';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);
void AlreadyExists; void IllegalTransition; void InvalidCommand; void NotFound;

describe('report the result (上报整改结果): assigned|in_progress|reopened → result_reported', () => {
  const result = (hours = 6) => f.command('ReportResult', { summary: '已整改' }, hours);

  it('from in_progress', () => spec.given(f.IN.in_progress).when(result()).then([f.resultReported]));
  it('straight from assigned (立行立改: rectify at once, no plan)', () => spec.given(f.IN.assigned).when(result()).thenState((s) => expect(s.status).toBe('result_reported')));
  it('from reopened (a new result directly)', () => spec.given(f.IN.reopened).when(result(8)).thenState((s) => expect(s.status).toBe('result_reported')));
  it('marks a result after the deadline as late', () =>
    spec.given(f.IN.in_progress).when(result(24 * 11)).thenState((s) => expect(s.result?.onTime).toBe(false)));
  it('tells a registered issue to be assigned first', () =>
    spec.given(f.IN.registered).when(result()).thenThrows(IllegalTransition, /cannot report a result on an issue that is registered; assign it first/));
  it.each(f.statusesExcept('none', 'assigned', 'in_progress', 'reopened'))('is refused when the issue is %s', (status) =>
    spec.given(f.IN[status]).when(result()).thenThrows(IllegalTransition, new RegExp(`cannot report a result on an issue that is ${status}`)));
});
