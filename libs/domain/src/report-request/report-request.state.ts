import type { EvidenceRef } from '../attachment/attachment-ref';
import type { ReportRequestEvent } from './report-request.events';
import type { ReportRequestKind } from './report-request.vocabulary';

export interface UnitReport {
  unitId: string;
  text: string;
  attachments: EvidenceRef[];
  at: string;
  by: string;
  late: boolean;
}

export interface ReportRequestState {
  id: string | null;
  /** `none` until created; `open` until the due instant is recorded as passed, then `due` */
  status: 'none' | 'open' | 'due';
  title: string | null;
  kind: ReportRequestKind | null;
  unitIds: string[];
  dueDate: string | null;
  dueAt: string | null;
  programmeId: string | null;
  createdAt: string | null;
  createdBy: string | null;
  reports: UnitReport[];
  reminders: { offset: string; unitIds: string[]; at: string }[];
  /** the units recorded as overdue at the due instant, and when */
  overdue: { unitIds: string[]; at: string } | null;
}

export function initialReportRequestState(): ReportRequestState {
  return {
    id: null,
    status: 'none',
    title: null,
    kind: null,
    unitIds: [],
    dueDate: null,
    dueAt: null,
    programmeId: null,
    createdAt: null,
    createdBy: null,
    reports: [],
    reminders: [],
    overdue: null,
  };
}

/** The units asked that have not reported yet, in the order they were named. */
export const missingUnits = (state: ReportRequestState): string[] =>
  state.unitIds.filter((unitId) => !state.reports.some((r) => r.unitId === unitId));

export function evolveReportRequest(state: ReportRequestState, event: ReportRequestEvent): ReportRequestState {
  switch (event.type) {
    case 'ReportRequestCreated': {
      const e = event.data;
      return {
        ...initialReportRequestState(),
        id: e.reportRequestId,
        status: 'open',
        title: e.title,
        kind: e.kind,
        unitIds: e.unitIds,
        dueDate: e.dueDate,
        dueAt: e.dueAt,
        programmeId: e.programmeId,
        createdAt: e.at,
        createdBy: e.by,
      };
    }
    case 'UnitReportSubmitted': {
      const e = event.data;
      const report = { unitId: e.unitId, text: e.text, attachments: e.attachments, at: e.at, by: e.by, late: e.late };
      return { ...state, reports: [...state.reports, report] };
    }
    case 'UnitReportsReminded':
      return {
        ...state,
        reminders: [...state.reminders, { offset: event.data.offset, unitIds: event.data.unitIds, at: event.data.at }],
      };
    case 'UnitReportsOverdue':
      return { ...state, status: 'due', overdue: { unitIds: event.data.unitIds, at: event.data.at } };
    default:
      return state;
  }
}
