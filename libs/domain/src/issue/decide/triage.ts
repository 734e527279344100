import { optionalText, requireOneOf, requireText } from '../../validation';
import type { TriageIssue } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { PRIORITIES } from '../issue.vocabulary';
import { eventBase, requireStatusFor, sameAdvice } from './refusals';

const ALREADY_ASSIGNED = sameAdvice(
  ['assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed'],
  'it is already assigned; triage comes before assignment',
);

/** 分类研判: category and priority, again as often as needed until the issue is assigned. */
export function triageIssue(command: TriageIssue, state: IssueState): IssueEvent[] {
  const d = command.data;
  const category = d.category === undefined ? state.category! : requireText('category', d.category);
  const priority = d.priority === undefined ? state.priority : requireOneOf('priority', d.priority, PRIORITIES);
  const note = optionalText('note', d.note);
  requireStatusFor(command.type, state, ALREADY_ASSIGNED);
  return [{ type: 'IssueTriaged', data: { ...eventBase(command), category, priority, note } }];
}
