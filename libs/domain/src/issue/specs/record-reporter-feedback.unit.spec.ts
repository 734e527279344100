import { DeciderSpecification } from '../../testing/decider-spec';
import { IllegalTransition, InvalidCommand, NotFound } from '../../errors';
import { issueDecider } from '../issue.decider';
import type { RecordReporterFeedback } from '../issue.commands';
import * as f from './fixtures';

const spec = DeciderSpecification.for(issueDecider);

describe("record the reporter's feedback (回访): once a result was reported, closed included; the latest counts", () => {
  const feedback = (data: Partial<RecordReporterFeedback['data']> = {}, hours = 9) =>
    f.command('RecordReporterFeedback', { channel: 'phone', verdict: 'unsatisfied', ...data }, hours);

  it('records the channel, the verdict and the note, against the lead unit', () =>
    spec
      .given(f.IN.closed)
      .when(feedback({ note: '问题反弹' }))
      .then([
        {
          type: 'ReporterFeedbackRecorded',
          data: { ...f.base(9), channel: 'phone', verdict: 'unsatisfied', note: '问题反弹', leadUnitId: f.UNIT },
        },
      ]));
  it('without a note the event says null', () =>
    spec
      .given(f.IN.accepted)
      .when(feedback({ channel: 'sms', verdict: 'satisfied' }))
      .then([
        {
          type: 'ReporterFeedbackRecorded',
          data: { ...f.base(9), channel: 'sms', verdict: 'satisfied', note: null, leadUnitId: f.UNIT },
        },
      ]));
  it.each(['result_reported', 'accepted', 'reopened', 'closed'] as const)(
    'while %s, without changing the status',
    (status) =>
      spec
        .given(f.IN[status])
        .when(feedback({ channel: 'visit', verdict: 'basically_satisfied' }))
        .thenState((s) => {
          expect(s.status).toBe(status);
          expect(s.reporterFeedback).toEqual([
            { channel: 'visit', verdict: 'basically_satisfied', note: null, at: f.at(9), by: f.registrar.id },
          ]);
        }),
  );
  it('a second call keeps both, the latest last', () =>
    spec
      .given([...f.IN.closed, f.changed(feedbackRecorded(), {})])
      .when(feedback({ verdict: 'satisfied' }, 10))
      .thenState((s) => expect(s.reporterFeedback.map((r) => r.verdict)).toEqual(['unsatisfied', 'satisfied'])));

  it.each(['registered', 'triaged', 'assigned', 'in_progress'] as const)(
    'is refused before a result is reported: %s',
    (status) =>
      spec
        .given(f.IN[status])
        .when(feedback())
        .thenThrows(IllegalTransition, /the reporter is asked about a reported result/, {
          state: status,
          command: 'RecordReporterFeedback',
        }),
  );
  it('is refused when withdrawn', () =>
    spec
      .given(f.IN.withdrawn)
      .when(feedback())
      .thenThrows(IllegalTransition, f.refusal("record the reporter's feedback on", 'withdrawn')));
  it('covers every status that refuses', () =>
    expect(f.statusesExcept('result_reported', 'accepted', 'reopened', 'closed')).toEqual([
      'registered',
      'triaged',
      'assigned',
      'in_progress',
      'withdrawn',
    ]));
  it('an issue that does not exist is NotFound', () =>
    spec
      .given([])
      .when(feedback())
      .thenThrows(NotFound, /does not exist/));
  it('an unknown channel', () =>
    spec
      .given(f.IN.closed)
      .when(feedback({ channel: 'email' as never }))
      .thenThrows(InvalidCommand, /^channel: must be one of phone, sms, letter, visit/));
  it('an unknown verdict', () =>
    spec
      .given(f.IN.closed)
      .when(feedback({ verdict: 'angry' as never }))
      .thenThrows(InvalidCommand, /^verdict: must be one of satisfied, basically_satisfied, unsatisfied/));
  it('a blank note', () =>
    spec
      .given(f.IN.closed)
      .when(feedback({ note: ' ' }))
      .thenThrows(InvalidCommand, /^note/));
});

function feedbackRecorded() {
  return {
    type: 'ReporterFeedbackRecorded' as const,
    data: {
      ...f.base(8),
      channel: 'phone' as const,
      verdict: 'unsatisfied' as const,
      note: null,
      leadUnitId: f.UNIT,
    },
  };
}
