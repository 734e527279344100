import type { AttachmentRef } from '../attachment/attachment-ref';
import type { CommandMeta } from '../decider';
import type { ReportRequestKind } from './report-request.vocabulary';

/** Every report-request command: `{type, data, meta}`; `data.reportRequestId` names the aggregate. */
type ReportRequestCmd<T extends string, D> = {
  type: T;
  data: D & { reportRequestId: string };
  meta: CommandMeta;
};

/**
 * `dueDate` as the office wrote it (a date or an instant); `dueAt` the instant it means, which the application
 * computes (a date is due by the end of that day in the agency's time zone). Whether the units and the
 * programme exist is the application's job.
 */
export type CreateReportRequest = ReportRequestCmd<
  'CreateReportRequest',
  {
    title: string;
    kind: ReportRequestKind;
    unitIds: string[];
    dueDate: string;
    dueAt: string;
    programmeId?: string | null;
  }
>;
export type SubmitUnitReport = ReportRequestCmd<
  'SubmitUnitReport',
  {
    unitId: string;
    text: string;
    /** evidence files, resolved by the application from their ids */ attachments?: AttachmentRef[];
  }
>;
/** The worker, `offset` (ISO-8601 duration) before the due instant: the units that have not reported are reminded. */
export type RemindUnitReports = ReportRequestCmd<'RemindUnitReports', { offset: string }>;
/** The worker, at the due instant: the units that have not reported are recorded as overdue. */
export type RecordReportsOverdue = ReportRequestCmd<'RecordReportsOverdue', Record<never, never>>;

export type ReportRequestCommand = CreateReportRequest | SubmitUnitReport | RemindUnitReports | RecordReportsOverdue;
export type ReportRequestCommandType = ReportRequestCommand['type'];
