import { InvalidCommand } from '../../errors';
import { requireInstant, requireMonth } from '../../validation';
import type { RemindProgress, RequestProgress } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ADVICE, eventBase, leadUnitOf, refuse, requireStatusFor, sameAdvice } from './refusals';

const NOTHING_TO_REPORT = {
  ...sameAdvice(['registered', 'triaged'], ADVICE.noOneRectifiesBeforeAssignment),
  result_reported: 'its result was reported, so there is no progress to report',
  accepted: 'its result was accepted, so there is no progress to report',
};

/** 按月上报: the worker's monthly request for a progress report by `dueBy`; once a month. */
export function requestProgress(command: RequestProgress, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const month = requireMonth('month', command.data.month);
  const dueBy = requireInstant('dueBy', command.data.dueBy);
  if (dueBy <= base.at) throw new InvalidCommand('dueBy', `dueBy must be after the request (${base.at})`);
  requireStatusFor(command.type, state, NOTHING_TO_REPORT);
  // the cron job may run twice (a retry, two workers): one request per month
  if (state.progressRequests.some((r) => r.month === month)) return [];
  return [
    {
      type: 'ProgressRequested',
      data: { ...base, month, dueBy, leadUnitId: leadUnitOf(state), coUnitIds: state.coUnitIds },
    },
  ];
}

/** The worker's reminder once the month's requested report is overdue; nothing once it came or was reminded. */
export function remindProgress(command: RemindProgress, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const month = requireMonth('month', command.data.month);
  requireStatusFor(command.type, state, NOTHING_TO_REPORT);
  const request = state.progressRequests.find((r) => r.month === month);
  if (!request) return refuse(command.type, state, `no progress report was requested for ${month}`);
  if (base.at < request.dueBy)
    refuse(command.type, state, `the report for ${month} is not due before ${request.dueBy}`);
  // a report since the request answers it; a reminder is sent once
  if (request.remindedAt !== null || state.progress.some((p) => p.at >= request.requestedAt)) return [];
  return [
    {
      type: 'ProgressReminderSent',
      data: { ...base, month, dueBy: request.dueBy, leadUnitId: leadUnitOf(state) },
    },
  ];
}
