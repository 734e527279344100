import { optionalText, requireOneOf } from '../../validation';
import type { RecordReporterFeedback } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { FEEDBACK_CHANNELS, VERDICTS } from '../issue.vocabulary';
import { ADVICE, eventBase, leadUnitOf, requireStatusFor, sameAdvice } from './refusals';

const NO_RESULT_YET = sameAdvice(
  ['registered', 'triaged', 'assigned', 'in_progress'],
  `${ADVICE.awaitingResult}: the reporter is asked about a reported result`,
);

/** 回访: the reporter's verdict counts beside the office's assessment; asked again later, the latest counts. */
export function recordReporterFeedback(command: RecordReporterFeedback, state: IssueState): IssueEvent[] {
  const d = command.data;
  const channel = requireOneOf('channel', d.channel, FEEDBACK_CHANNELS);
  const verdict = requireOneOf('verdict', d.verdict, VERDICTS);
  const note = optionalText('note', d.note);
  requireStatusFor(command.type, state, NO_RESULT_YET);
  return [
    {
      type: 'ReporterFeedbackRecorded',
      data: { ...eventBase(command), channel, verdict, note, leadUnitId: leadUnitOf(state) },
    },
  ];
}
