import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { IssueEvent } from '../issue.events';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

/**
 * 按月上报工作进度: the worker asks each open issue's units for a monthly progress report, and reminds
 * them once when none came by the due day. Both are idempotent per month, so a cron job that runs twice
 * (a retry, two workers) records each once.
 */
describe('monthly progress requests (the deadline worker)', () => {
  const DUE = f.at(24 * 5);
  const request = (hours = 9, month = '2026-03', dueBy = DUE) => f.command('RequestProgress', { month, dueBy }, hours);
  const remind = (hours = 24 * 6, month = '2026-03') => f.command('RemindProgress', { month }, hours);
  const requested = (hours = 9, dueBy = DUE, month = '2026-03') => f.progressRequested(hours, dueBy, month);
  const reminded = (hours = 24 * 6): IssueEvent => ({
    type: 'ProgressReminderSent',
    data: { ...f.base(hours, f.worker.id), month: '2026-03', dueBy: DUE, leadUnitId: f.UNIT },
  });
  const progress = (hours: number): IssueEvent => ({
    type: 'ProgressReported',
    data: { ...f.base(hours, f.officer.id), text: '进展', percent: 50, leadUnitId: f.UNIT },
  });

  describe('request', () => {
    it('asks the lead and co-units while the deadline runs', () =>
      spec.given(f.IN.in_progress).when(request()).then([requested()]));
    it.each(['assigned', 'reopened'] as const)('while %s', (status) =>
      spec
        .given(f.IN[status])
        .when(request())
        .thenState((s) =>
          expect(s.progressRequests).toEqual([
            { month: '2026-03', dueBy: DUE, requestedAt: f.at(9), remindedAt: null },
          ]),
        ),
    );
    it('once a month: a repeat records nothing', () =>
      spec
        .given([...f.IN.in_progress, requested()])
        .when(request(10))
        .thenNothingHappens());
    it('the next month is a new request', () =>
      spec
        .given([...f.IN.in_progress, requested()])
        .when(request(24 * 31, '2026-04', f.at(24 * 36)))
        .thenState((s) => expect(s.progressRequests.map((r) => r.month)).toEqual(['2026-03', '2026-04'])));
    it.each(['registered', 'triaged'] as const)('refused before assignment (%s)', (status) =>
      spec
        .given(f.IN[status])
        .when(request())
        .thenThrows(IllegalTransition, /no one rectifies it before it is assigned/),
    );
    it.each(['result_reported', 'accepted'] as const)('refused once the result is in (%s)', (status) =>
      spec
        .given(f.IN[status])
        .when(request())
        .thenThrows(IllegalTransition, /no progress to report/),
    );
    it.each(['closed', 'withdrawn'] as const)('refused when %s', (status) =>
      spec
        .given(f.IN[status])
        .when(request())
        .thenThrows(IllegalTransition, f.refusal('request a progress report for', status)),
    );
    it('an issue that does not exist is NotFound', () =>
      spec
        .given([])
        .when(request())
        .thenThrows(NotFound, /does not exist/));
    it('a month that is not YYYY-MM', () =>
      spec
        .given(f.IN.in_progress)
        .when(request(9, '2026-13'))
        .thenThrows(InvalidCommand, /^month/, { field: 'month' }));
    it('a due time before the request', () =>
      spec
        .given(f.IN.in_progress)
        .when(request(9, '2026-03', f.at(8)))
        .thenThrows(InvalidCommand, /dueBy must be after/, { field: 'dueBy' }));
  });

  describe('remind', () => {
    it('reminds the lead unit when no report came by the due time', () =>
      spec
        .given([...f.IN.in_progress, requested()])
        .when(remind())
        .then([reminded()]));
    it('once: a repeat records nothing', () =>
      spec
        .given([...f.IN.in_progress, requested(), reminded()])
        .when(remind(24 * 7))
        .thenNothingHappens());
    it('nothing when a report came after the request', () =>
      spec
        .given([...f.IN.in_progress, requested(), progress(24 * 2)])
        .when(remind())
        .thenNothingHappens());
    it('a report before the request does not answer it', () =>
      spec
        .given([...f.IN.in_progress, progress(8.5), requested()])
        .when(remind())
        .then([reminded()]));
    it('refused before the due time', () =>
      spec
        .given([...f.IN.in_progress, requested()])
        .when(remind(24 * 4))
        .thenThrows(IllegalTransition, /is not due before/));
    it('refused for a month never requested', () =>
      spec
        .given(f.IN.in_progress)
        .when(remind())
        .thenThrows(IllegalTransition, /no progress report was requested for 2026-03/));
    it.each(['result_reported', 'accepted'] as const)('refused once the result is in (%s)', (status) =>
      spec
        .given([...f.IN[status]])
        .when(remind())
        .thenThrows(IllegalTransition, /no progress to report/),
    );
    it.each(['closed', 'withdrawn'] as const)('refused when %s', (status) =>
      spec
        .given(f.IN[status])
        .when(remind())
        .thenThrows(IllegalTransition, f.refusal('remind of a progress report for', status)),
    );
  });
});
