import { requireAttachmentRefs } from '../../attachment/attachment-ref';
import { InvalidCommand } from '../../errors';
import { optionalText, requireBoolean, requireOneOf, requireText } from '../../validation';
import type { RegisterIssue } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import {
  CONFIDENTIAL_BY_DEFAULT_SOURCES,
  ISSUE_KINDS,
  ISSUE_SOURCES,
  type Accused,
  type IssueSource,
  type SealedReporter,
} from '../issue.vocabulary';
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
        reporter: requireReporter(d.reporter, d.source),
        attachments: requireAttachmentRefs('attachments', d.attachments),
        ...(d.origin ? { origin: d.origin } : {}),
        ...intakeFields(d),
      },
    },
  ];
}

/**
 * The reporter arrives sealed (the application encrypted the personal fields): the domain checks only the
 * envelope's shape. 举报人保护: confidential unless said otherwise for hotline, petition and online sources.
 */
function requireReporter(reporter: SealedReporter | undefined, source: IssueSource): SealedReporter | null {
  if (!reporter) return null;
  const sealed = reporter.sealed;
  if (typeof sealed !== 'object' || sealed === null)
    throw new InvalidCommand(
      'reporter',
      'must arrive sealed by the application (personal data is never recorded in clear)',
    );
  return {
    reporterId: requireText('reporter.reporterId', reporter.reporterId),
    confidential:
      reporter.confidential === undefined
        ? CONFIDENTIAL_BY_DEFAULT_SOURCES.includes(source)
        : requireBoolean('reporter.confidential', reporter.confidential),
    sealed: {
      alg: requireText('reporter.sealed.alg', sealed.alg),
      keyId: requireText('reporter.sealed.keyId', sealed.keyId),
      nonce: requireText('reporter.sealed.nonce', sealed.nonce),
      ciphertext: requireText('reporter.sealed.ciphertext', sealed.ciphertext),
    },
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
    ...programmeFields(d),
    ...(d.inspectionId !== undefined ? { inspectionId: requireText('inspectionId', d.inspectionId) } : {}),
  };
}

/** A programme's issue is a task (任务): `kind` defaults to it, and a phase (攻坚战) is named only within a programme. */
function programmeFields(d: RegisterIssue['data']) {
  if (d.programmeId === undefined) {
    if (d.phase !== undefined)
      throw new InvalidCommand('phase', 'a phase is named only with the programmeId it belongs to');
    return {};
  }
  if (d.kind !== undefined && d.kind !== 'task')
    throw new InvalidCommand(
      'kind',
      `an issue of a programme is a task: send kind "task" or leave it out (got ${d.kind})`,
    );
  return {
    kind: 'task' as const,
    programmeId: requireText('programmeId', d.programmeId),
    ...(d.phase !== undefined ? { phase: requireText('phase', d.phase) } : {}),
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
