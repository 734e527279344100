import { InvalidCommand } from '../../errors';
import { optionalText, requireBoolean, requireOneOf, requireStringList, requireText } from '../../validation';
import type { RegisterIssue } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ISSUE_KINDS, ISSUE_SOURCES, type Accused, type Reporter } from '../issue.vocabulary';
import { eventBase } from './refusals';

/** 登记: `decideIssue` has already refused an issue that exists. */
export function registerIssue(command: RegisterIssue, _state: IssueState): IssueEvent[] {
  const d = command.data;
  return [
    {
      type: 'IssueRegistered',
      data: {
        ...eventBase(command),
        source: requireOneOf('source', d.source, ISSUE_SOURCES),
        category: requireText('category', d.category),
        title: requireText('title', d.title),
        description: requireText('description', d.description),
        location: optionalText('location', d.location),
        reporter: requireReporter(d.reporter),
        attachments: requireStringList('attachments', d.attachments),
        ...(d.origin ? { origin: d.origin } : {}),
        ...intakeFields(d),
      },
    },
  ];
}

function requireReporter(reporter: Reporter | undefined): Reporter | null {
  if (!reporter) return null;
  return {
    name: requireText('reporter.name', reporter.name),
    ...(reporter.phone !== undefined ? { phone: requireText('reporter.phone', reporter.phone) } : {}),
    confidential: reporter.confidential === true,
  };
}

/** The intake fields the seeds name (问题/意见建议, 被反映单位/人, 信访件号, 领导批示, 积案); recorded only when given. */
function intakeFields(d: RegisterIssue['data']) {
  return {
    ...(d.kind !== undefined ? { kind: requireOneOf('kind', d.kind, ISSUE_KINDS) } : {}),
    ...(d.accused !== undefined ? { accused: requireAccused(d.accused) } : {}),
    ...(d.reference !== undefined ? { reference: requireText('reference', d.reference) } : {}),
    ...(d.forwardedBy !== undefined
      ? {
          forwardedBy: {
            name: requireText('forwardedBy.name', d.forwardedBy?.name),
            ...(d.forwardedBy.title !== undefined
              ? { title: requireText('forwardedBy.title', d.forwardedBy.title) }
              : {}),
            instruction: requireText('forwardedBy.instruction', d.forwardedBy?.instruction),
          },
        }
      : {}),
    ...(d.backlog !== undefined ? { backlog: requireBoolean('backlog', d.backlog) } : {}),
  };
}

function requireAccused(accused: Accused): Accused {
  const { unitId, name, person } = accused ?? {};
  if (unitId === undefined && name === undefined && person === undefined)
    throw new InvalidCommand('accused', 'name the unit (unitId or name) or the person it is about');
  return {
    ...(unitId !== undefined ? { unitId: requireText('accused.unitId', unitId) } : {}),
    ...(name !== undefined ? { name: requireText('accused.name', name) } : {}),
    ...(person !== undefined ? { person: requireText('accused.person', person) } : {}),
  };
}
