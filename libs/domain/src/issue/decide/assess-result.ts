import { InvalidCommand } from '../../errors';
import { optionalText, requireFutureInstant, requireOneOf, requireStringList } from '../../validation';
import type { AssessResult } from '../issue.commands';
import type { IssueEvent, ResultAssessed } from '../issue.events';
import { NEXT_STEP } from '../issue.lifecycle';
import type { IssueState } from '../issue.state';
import { ASSESSMENT_METHODS, VERDICTS } from '../issue.vocabulary';
import { ADVICE, eventBase, leadUnitOf, requireStatusFor } from './refusals';

/** 整改评议: satisfied or basically satisfied accepts; unsatisfied reopens with a new deadline. */
export function assessResult(command: AssessResult, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const d = command.data;
  const verdict = requireOneOf('verdict', d.verdict, VERDICTS);
  const comment = optionalText('comment', d.comment);
  const how = howAssessed(d);
  if (verdict !== 'unsatisfied' && d.newDeadline !== undefined)
    throw new InvalidCommand('newDeadline', 'is only given with an unsatisfied verdict');
  if (verdict === 'unsatisfied' && d.newDeadline === undefined)
    throw new InvalidCommand('newDeadline', 'is required when the verdict is unsatisfied (the issue reopens with it)');
  requireStatusFor(command.type, state, {
    assigned: ADVICE.awaitingResult,
    in_progress: ADVICE.awaitingResult,
    reopened: `${ADVICE.awaitingResult} since it was reopened`,
    accepted: `it was already assessed and accepted; ${NEXT_STEP.accepted}`,
  });
  const leadUnitId = leadUnitOf(state);
  const assessed: IssueEvent = { type: 'ResultAssessed', data: { ...base, verdict, comment, leadUnitId, ...how } };
  if (verdict !== 'unsatisfied') return [assessed];
  const deadline = requireFutureInstant('newDeadline', d.newDeadline, base.at);
  return [
    assessed,
    { type: 'IssueReopened', data: { ...base, deadline, deadlineVersion: state.deadlineVersion + 1, leadUnitId } },
  ];
}

/** 评议方式 and 评议组, recorded only when given so earlier events keep their shape. */
function howAssessed(d: AssessResult['data']): Pick<ResultAssessed['data'], 'method' | 'panel'> {
  return {
    ...(d.method === undefined ? {} : { method: requireOneOf('method', d.method, ASSESSMENT_METHODS) }),
    ...(d.panel === undefined ? {} : { panel: requireStringList('panel', d.panel) }),
  };
}
