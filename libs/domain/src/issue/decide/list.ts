import { AlreadyExists } from '../../errors';
import { requireOneOf, requireText } from '../../validation';
import type { ListIssue } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { LIST_KINDS } from '../issue.vocabulary';
import { eventBase, leadUnitOf, refuse, requireStatusFor } from './refusals';

/** 红黑榜: each list once; the red list only for an accepted or closed issue that is not black-listed. */
export function listIssue(command: ListIssue, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const list = requireOneOf('list', command.data.list, LIST_KINDS);
  const reason = requireText('reason', command.data.reason);
  requireStatusFor(command.type, state);
  if (state.lists.some((l) => l.list === list))
    throw new AlreadyExists(`issue ${base.issueId} is already on the ${list} list`);
  if (list === 'red') {
    if (state.status !== 'accepted' && state.status !== 'closed')
      refuse(command.type, state, 'only an accepted or closed issue can go on the red list (exemplary rectification)');
    if (state.lists.some((l) => l.list === 'black'))
      refuse(command.type, state, 'it is on the black list, so it cannot also go on the red list');
  }
  return [{ type: 'IssueListed', data: { ...base, list, reason, leadUnitId: leadUnitOf(state) } }];
}
