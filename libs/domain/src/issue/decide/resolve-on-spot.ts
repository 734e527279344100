import { requireStringList, requireText } from '../../validation';
import type { ResolveOnSpot } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { eventBase, requireStatusFor, sameAdvice } from './refusals';

const ALREADY_WITH_A_UNIT = sameAdvice(
  ['assigned', 'in_progress', 'reopened'],
  'a unit is already rectifying it: it reports its result (上报整改结果), which may come at once',
);

/**
 * 立行立改: a problem fixed at once, before anyone is assigned, is closed with resolution `on_spot`. Statistics
 * count it as resolved but not as assigned, which is how the seeds' resolved can exceed assigned (946 > 880).
 */
export function resolveOnSpot(command: ResolveOnSpot, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const summary = requireText('summary', command.data.summary);
  const evidence = requireStringList('evidence', command.data.evidence);
  requireStatusFor(command.type, state, {
    ...ALREADY_WITH_A_UNIT,
    result_reported: 'a unit has reported its result, which awaits assessment',
    accepted: 'its result was accepted; it awaits closing (销号)',
    closed: state.resolution === 'on_spot' ? 'it was already resolved on the spot' : 'it is already closed (销号备案)',
    withdrawn: 'it was withdrawn',
  });
  const fromStatus = state.status as 'registered' | 'triaged';
  return [{ type: 'IssueResolvedOnSpot', data: { ...base, summary, evidence, fromStatus } }];
}
