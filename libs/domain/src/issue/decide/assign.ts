import { InvalidCommand } from '../../errors';
import {
  optionalText,
  requireDate,
  requireFutureInstant,
  requireInteger,
  requireOneOf,
  requireStringList,
  requireText,
} from '../../validation';
import type { AssignIssue, Assignment } from '../issue.commands';
import type { IssueAssigned, IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ASSIGNMENT_MODES, ISSUE_LIMITS } from '../issue.vocabulary';
import { eventBase, requireStatusFor } from './refusals';

/** 交办: once; an assigned issue refuses it, so of two concurrent assignments exactly one wins. */
export function assignIssue(command: AssignIssue, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const assignment = requireAssignment(command.data, base.at);
  const alreadyAssigned = `it is already assigned to unit ${state.leadUnitId}`;
  requireStatusFor(command.type, state, {
    assigned: `${alreadyAssigned}; to move it to another unit, re-assign it (改派)`,
    in_progress: `${alreadyAssigned}, which is rectifying it`,
    reopened: `${alreadyAssigned}, which is rectifying it again`,
  });
  return [
    {
      type: 'IssueAssigned',
      data: {
        ...base,
        ...assignment,
        deadlineVersion: state.deadlineVersion + 1,
        previousLeadUnitId: null,
        reason: null,
      },
    },
  ];
}

type AssignmentTerms = Pick<
  IssueAssigned['data'],
  | 'leadUnitId'
  | 'coUnitIds'
  | 'responsibleUnitIds'
  | 'responsiblePerson'
  | 'deadline'
  | 'deadlineWorkingDays'
  | 'provisionalYears'
  | 'instructions'
  | 'mode'
  | 'partnerAgencies'
  | 'batch'
>;

/** The terms of an (re-)assignment, checked; the deadline must be after the command. */
export function requireAssignment(d: Assignment, at: string): AssignmentTerms {
  const leadUnitId = requireText('leadUnitId', d.leadUnitId);
  const coUnitIds = [...new Set(requireStringList('coUnitIds', d.coUnitIds))];
  if (coUnitIds.includes(leadUnitId)) throw new InvalidCommand('coUnitIds', 'the lead unit cannot also be a co-unit');
  const responsibleUnitIds = [...new Set(requireStringList('responsibleUnitIds', d.responsibleUnitIds))];
  if (responsibleUnitIds.some((id) => id === leadUnitId || coUnitIds.includes(id)))
    throw new InvalidCommand(
      'responsibleUnitIds',
      'a responsible unit (责任单位) is neither the lead unit nor a co-unit',
    );
  const { min, max } = ISSUE_LIMITS.deadlineWorkingDays;
  return {
    leadUnitId,
    coUnitIds,
    ...(responsibleUnitIds.length ? { responsibleUnitIds } : {}),
    responsiblePerson: {
      name: requireText('responsiblePerson.name', d.responsiblePerson?.name),
      ...(d.responsiblePerson?.title !== undefined
        ? { title: requireText('responsiblePerson.title', d.responsiblePerson.title) }
        : {}),
    },
    deadline: requireFutureInstant('deadline', d.deadline, at),
    deadlineWorkingDays:
      d.deadlineWorkingDays === undefined
        ? null
        : requireInteger('deadlineWorkingDays', d.deadlineWorkingDays, min, max),
    ...(d.provisionalYears?.length ? { provisionalYears: [...d.provisionalYears] } : {}),
    instructions: optionalText('instructions', d.instructions),
    mode: requireOneOf('mode', d.mode, ASSIGNMENT_MODES),
    ...partnerAgenciesOf(d),
    ...(d.batch !== undefined ? { batch: requireBatch(d.batch) } : {}),
  };
}

/** 联合交办: the agencies named once each, recorded only when there are any. */
function partnerAgenciesOf(d: Assignment): { partnerAgencies?: string[] } {
  const names = requireStringList('partnerAgencies', d.partnerAgencies).map((name, i) =>
    requireText(`partnerAgencies[${i}]`, name.trim()),
  );
  if (names.length > ISSUE_LIMITS.partnerAgencies)
    throw new InvalidCommand('partnerAgencies', `at most ${ISSUE_LIMITS.partnerAgencies} partner agencies`);
  const partnerAgencies = [...new Set(names)];
  return partnerAgencies.length ? { partnerAgencies } : {};
}

/** 交办会: the batch and its meeting, as the application recorded them. */
function requireBatch(batch: NonNullable<Assignment['batch']>): NonNullable<AssignmentTerms['batch']> {
  const { meeting } = batch;
  return {
    batchId: requireText('batch.batchId', batch.batchId),
    meeting: {
      date: requireDate('meeting.date', meeting?.date),
      ...(meeting.name !== undefined ? { name: requireText('meeting.name', meeting.name) } : {}),
      presidedBy: {
        name: requireText('meeting.presidedBy.name', meeting.presidedBy?.name),
        ...(meeting.presidedBy?.title !== undefined
          ? { title: requireText('meeting.presidedBy.title', meeting.presidedBy.title) }
          : {}),
      },
    },
  };
}
