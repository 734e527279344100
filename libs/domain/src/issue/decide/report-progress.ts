import { optionalAttachments } from '../../attachment/attachment-ref';
import { InvalidCommand } from '../../errors';
import { requireText } from '../../validation';
import type { ReportProgress } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ISSUE_LIMITS } from '../issue.vocabulary';
import { eventBase, leadUnitOf, requireStatusFor } from './refusals';

/** 按月上报工作进度: text and an optional percentage; a co-unit or responsible unit reports on its part. */
export function reportProgress(command: ReportProgress, state: IssueState): IssueEvent[] {
  const d = command.data;
  const text = requireText('text', d.text);
  const percent = d.percent === undefined || d.percent === null ? null : requirePercent(d.percent);
  const attachments = optionalAttachments(d.attachments);
  requireStatusFor(command.type, state);
  const leadUnitId = leadUnitOf(state);
  const unitId = command.meta.actor.unitId;
  const reportingUnitId = unitId && unitId !== leadUnitId ? { reportingUnitId: unitId } : {};
  return [
    {
      type: 'ProgressReported',
      data: { ...eventBase(command), text, percent, leadUnitId, ...reportingUnitId, ...attachments },
    },
  ];
}

function requirePercent(value: unknown): number {
  const { min, max } = ISSUE_LIMITS.percent;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max)
    throw new InvalidCommand('percent', `must be a number from ${min} to ${max}`);
  return value;
}
