import { FINDING_KINDS, ISSUE_LIMITS, type FindingKind } from '@duban/domain';
import { EnumField, TextField } from '../../../http/fields';
import { AttachmentIdsField } from '../../../attachments/attachment-ids';

/** 整改不扎实不到位、弄虚作假: a finding that counts against the unit. */
export class RecordFindingRequestDto {
  @EnumField(FINDING_KINDS, {
    example: 'perfunctory',
    description: 'perfunctory 不扎实不到位, falsified 弄虚作假',
  })
  kind: FindingKind;

  @TextField({ max: ISSUE_LIMITS.comment, example: '整改材料与现场不符 (the report does not match the site)' })
  note: string;

  @AttachmentIdsField('what the finding rests on (photos of the site, recordings)')
  attachments?: string[];
}
