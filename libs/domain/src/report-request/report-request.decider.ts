import { requireAttachmentRefs } from '../attachment/attachment-ref';
import type { Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';
import {
  optionalText,
  requireDateOrInstant,
  requireDuration,
  requireFutureInstant,
  requireInstant,
  requireOneOf,
  requireStringList,
  requireText,
} from '../validation';
import type {
  CreateReportRequest,
  RecordReportsOverdue,
  RemindUnitReports,
  ReportRequestCommand,
  SubmitUnitReport,
} from './report-request.commands';
import type { ReportRequestEvent } from './report-request.events';
import {
  evolveReportRequest,
  initialReportRequestState,
  missingUnits,
  ReportRequestState,
} from './report-request.state';
import { REPORT_REQUEST_KINDS } from './report-request.vocabulary';

/**
 * Report requests (报送要求, DESIGN.md §7.1): the office asks named units for a report by a due instant; each
 * unit reports once (a report after the due instant is recorded as late, never refused); the worker reminds
 * the units that have not reported before the due instant and records them as overdue at it.
 */
export function decideReportRequest(command: ReportRequestCommand, state: ReportRequestState): ReportRequestEvent[] {
  switch (command.type) {
    case 'CreateReportRequest':
      return createReportRequest(command, state);
    case 'SubmitUnitReport':
      return submitUnitReport(command, state);
    case 'RemindUnitReports':
      return remindUnitReports(command, state);
    case 'RecordReportsOverdue':
      return recordReportsOverdue(command, state);
    default:
      return unknownCommand(command);
  }
}

function eventBase(command: ReportRequestCommand) {
  return {
    reportRequestId: requireText('reportRequestId', command.data.reportRequestId),
    at: requireInstant('meta.at', command.meta.at),
    by: requireText('meta.actor.id', command.meta.actor?.id),
  };
}

function unknownCommand(command: never): never {
  throw new InvalidCommand('type', `unknown report request command ${String(Reflect.get(Object(command), 'type'))}`);
}

function requireExisting(state: ReportRequestState, id: string): void {
  if (state.status === 'none') throw new NotFound(`report request ${id} does not exist`);
}

/** At least one unit, each named once; due after the command's time (a request already due asks nothing). */
export function createReportRequest(command: CreateReportRequest, state: ReportRequestState): ReportRequestEvent[] {
  const base = eventBase(command);
  if (state.status !== 'none') throw new AlreadyExists(`report request ${base.reportRequestId} already exists`);
  const d = command.data;
  const unitIds = [...new Set(requireStringList('unitIds', d.unitIds))];
  if (unitIds.length === 0) throw new InvalidCommand('unitIds', 'must name at least one unit');
  return [
    {
      type: 'ReportRequestCreated',
      data: {
        ...base,
        title: requireText('title', d.title),
        kind: requireOneOf('kind', d.kind, REPORT_REQUEST_KINDS),
        unitIds,
        dueDate: requireDateOrInstant('dueDate', d.dueDate),
        dueAt: requireFutureInstant('dueDate', d.dueAt, base.at),
        programmeId: optionalText('programmeId', d.programmeId),
      },
    },
  ];
}

/** One report per unit asked; after the due instant it is accepted and marked late. */
export function submitUnitReport(command: SubmitUnitReport, state: ReportRequestState): ReportRequestEvent[] {
  const base = eventBase(command);
  requireExisting(state, base.reportRequestId);
  const d = command.data;
  const unitId = requireText('unitId', d.unitId);
  if (!state.unitIds.includes(unitId))
    throw new InvalidCommand(
      'unitId',
      `unit ${unitId} is not asked for this report; the units asked are listed in unitIds`,
    );
  const earlier = state.reports.find((r) => r.unitId === unitId);
  if (earlier)
    throw new AlreadyExists(
      `unit ${unitId} already submitted its report at ${earlier.at}; a submitted report is final, send a correction to the office`,
    );
  return [
    {
      type: 'UnitReportSubmitted',
      data: {
        ...base,
        unitId,
        text: requireText('text', d.text),
        attachments: requireAttachmentRefs('attachments', d.attachments).filter(
          (a, i, all) => all.findIndex((b) => b.id === a.id) === i,
        ),
        dueAt: state.dueAt!,
        late: base.at > state.dueAt!,
      },
    },
  ];
}

/** Once per offset, before the due instant, and only when some unit has not reported. */
export function remindUnitReports(command: RemindUnitReports, state: ReportRequestState): ReportRequestEvent[] {
  const base = eventBase(command);
  requireExisting(state, base.reportRequestId);
  const offset = requireDuration('offset', command.data.offset);
  if (base.at >= state.dueAt!)
    throw new IllegalTransition(
      `the report was due at ${state.dueAt}; the units that did not report are recorded as overdue instead of reminded`,
      state.status,
      command.type,
    );
  const unitIds = missingUnits(state);
  if (unitIds.length === 0 || state.reminders.some((r) => r.offset === offset)) return [];
  return [
    { type: 'UnitReportsReminded', data: { ...base, offset, unitIds, title: state.title!, dueAt: state.dueAt! } },
  ];
}

/** Once, at or after the due instant, naming the units that had not reported; nothing when all had. */
export function recordReportsOverdue(command: RecordReportsOverdue, state: ReportRequestState): ReportRequestEvent[] {
  const base = eventBase(command);
  requireExisting(state, base.reportRequestId);
  if (base.at < state.dueAt!)
    throw new IllegalTransition(`the report is not due until ${state.dueAt}`, state.status, command.type);
  const unitIds = missingUnits(state);
  if (state.overdue || unitIds.length === 0) return [];
  return [{ type: 'UnitReportsOverdue', data: { ...base, unitIds, title: state.title!, dueAt: state.dueAt! } }];
}

export const reportRequestDecider: Decider<ReportRequestState, ReportRequestCommand, ReportRequestEvent> = {
  decide: decideReportRequest,
  evolve: evolveReportRequest,
  initialState: initialReportRequestState,
};
