import { ATTACHMENT_ID_PATTERN, ISSUE_LIMITS, type IssueCommandType } from '@duban/domain';
import { TextArrayField } from '../http/fields';

/** The command fields that reference evidence files, by command: the service resolves their ids. */
export const REFERENCE_FIELDS: Partial<Record<IssueCommandType, 'attachments' | 'evidence'>> = {
  RegisterIssue: 'attachments',
  SubmitPlan: 'attachments',
  ReportProgress: 'attachments',
  ReportResult: 'evidence',
  RecordFinding: 'attachments',
};

type ReferenceField = 'attachments' | 'evidence';

/** A command as the edge receives it: evidence files named by the ids `POST /attachments` answered. */
export type WithAttachmentIds<C> = C extends { data: infer D }
  ? Omit<C, 'data'> & { data: { [K in keyof D]: K extends ReferenceField ? string[] : D[K] } }
  : never;

/** A list of attachment ids in a request body (`sha256:<hex>`, as `POST /attachments` answered). */
export function AttachmentIdsField(description: string) {
  return TextArrayField({
    maxItems: ISSUE_LIMITS.references,
    maxLength: 'sha256:'.length + 64,
    pattern: ATTACHMENT_ID_PATTERN,
    required: false,
    example: ['sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    description: `${description}: ids from POST /attachments (the event records each file's hash, size, type and name)`,
  });
}
