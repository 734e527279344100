import { optionalText, requireOneOf, requireStringList, requireText } from '../../validation';
import type { RegisterIssue } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ISSUE_SOURCES, type Reporter } from '../issue.vocabulary';
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
