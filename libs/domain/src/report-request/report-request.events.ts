import type { EvidenceRef } from '../attachment/attachment-ref';
import type { ReportRequestKind } from './report-request.vocabulary';

/** Every report-request event carries `reportRequestId`, `at` (the command's time) and `by` (the actor's id). */
type ReportRequestEvt<T extends string, D> = {
  type: T;
  data: D & { reportRequestId: string; at: string; by: string };
};

export type ReportRequestCreated = ReportRequestEvt<
  'ReportRequestCreated',
  {
    title: string;
    kind: ReportRequestKind;
    unitIds: string[];
    dueDate: string;
    dueAt: string;
    programmeId: string | null;
  }
>;
/** `late`: submitted after `dueAt` (decided once, here, so every reader agrees). */
export type UnitReportSubmitted = ReportRequestEvt<
  'UnitReportSubmitted',
  { unitId: string; text: string; attachments: EvidenceRef[]; dueAt: string; late: boolean }
>;
/** Names the units reminded (those that had not reported) and repeats the title, so routing looks nothing up. */
export type UnitReportsReminded = ReportRequestEvt<
  'UnitReportsReminded',
  { offset: string; unitIds: string[]; title: string; dueAt: string }
>;
/** The units that had not reported at the due instant (逾期未报). */
export type UnitReportsOverdue = ReportRequestEvt<
  'UnitReportsOverdue',
  { unitIds: string[]; title: string; dueAt: string }
>;

export type ReportRequestEvent = ReportRequestCreated | UnitReportSubmitted | UnitReportsReminded | UnitReportsOverdue;
export type ReportRequestEventType = ReportRequestEvent['type'];

export const REPORT_REQUEST_EVENT_TYPES: readonly ReportRequestEventType[] = [
  'ReportRequestCreated',
  'UnitReportSubmitted',
  'UnitReportsReminded',
  'UnitReportsOverdue',
];
