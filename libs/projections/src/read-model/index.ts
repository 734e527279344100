import type { NotificationPolicy } from '@duban/domain';
import type { Projection } from '../projection';
import { attachmentReferencesProjection } from './attachment-references.projection';
import { appraisalsProjection } from './appraisals.projection';
import { calendarProjection } from './calendar.projection';
import { inboxProjection } from './inbox.projection';
import { issuesProjection } from './issues.projection';
import { noticesProjection } from './notices.projection';
import { reportRequestsProjection } from './report-requests.projection';
import { programmesProjection } from './programmes.projection';
import { inspectionsProjection } from './inspections.projection';
import { unitsProjection } from './units.projection';

export * from './appraisals.projection';
export * from './attachment-references.projection';
export * from './calendar.projection';
export * from './inbox.projection';
export * from './issue-counts';
export * from './issue-facts';
export * from './issues.projection';
export * from './notices.projection';
export * from './report-requests.projection';
export * from './programmes.projection';
export * from './inspections.projection';
export * from './units.projection';

/** The API's read-model file under DATA_DIR (each process has its own; the worker's is another). */
export const READ_MODEL_FILE = 'readmodel-api.sqlite';

/**
 * The API's read model, in the order it is applied: the inbox reads issue titles the issues
 * projection wrote in the same batch. One list, used by the API, the rebuild CLI and the benchmark.
 */
export function readModelProjections(options: {
  notificationPolicy: NotificationPolicy;
  tzAgency: string;
}): Projection[] {
  return [
    unitsProjection,
    issuesProjection(options.tzAgency),
    inboxProjection(options.notificationPolicy),
    appraisalsProjection,
    calendarProjection,
    noticesProjection,
    reportRequestsProjection,
    attachmentReferencesProjection,
    programmesProjection,
    inspectionsProjection,
  ];
}
