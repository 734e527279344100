import { optionalText } from '../../validation';
import type { CloseIssue } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import { IssueState, latestResult } from '../issue.state';
import { ADVICE, eventBase, leadUnitOf, requireStatusFor, sameAdvice } from './refusals';

const NOT_ACCEPTED = {
  ...sameAdvice(['assigned', 'in_progress', 'reopened'], ADVICE.notYetAccepted),
  result_reported: 'assess its result first (satisfied or basically satisfied)',
  closed: 'it is already closed (销号备案)',
};

/** 销号备案: only once accepted; the event keeps the accepting verdict and whether the result came on time. */
export function closeIssue(command: CloseIssue, state: IssueState): IssueEvent[] {
  const note = optionalText('note', command.data.note);
  requireStatusFor(command.type, state, NOT_ACCEPTED);
  const result = latestResult(state)!;
  const verdict = state.assessments[state.assessments.length - 1].verdict;
  return [
    {
      type: 'IssueClosed',
      data: {
        ...eventBase(command),
        note,
        deadline: result.deadline,
        onTime: result.onTime,
        verdict,
        leadUnitId: leadUnitOf(state),
      },
    },
  ];
}
