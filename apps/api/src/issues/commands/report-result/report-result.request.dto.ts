import { ISSUE_LIMITS } from '@duban/domain';
import { TextField } from '../../../http/fields';
import { AttachmentIdsField } from '../../../attachments/attachment-ids';

/** 上报整改结果 */
export class ReportResultRequestDto {
  @TextField({
    max: ISSUE_LIMITS.resultSummary,
    example: '已整改到位，建立长效机制 (rectified, with a lasting mechanism)',
  })
  summary: string;

  @AttachmentIdsField('evidence of the rectification (整改佐证材料: photos, reports)')
  evidence?: string[];
}
