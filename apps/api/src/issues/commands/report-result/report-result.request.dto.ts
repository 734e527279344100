import { ISSUE_LIMITS } from '@duban/domain';
import { TextArrayField, TextField } from '../../../http/fields';

/** 上报整改结果 */
export class ReportResultRequestDto {
  @TextField({
    max: ISSUE_LIMITS.resultSummary,
    example: '已整改到位，建立长效机制 (rectified, with a lasting mechanism)',
  })
  summary: string;

  @TextArrayField({
    maxItems: ISSUE_LIMITS.references,
    maxLength: ISSUE_LIMITS.reference,
    required: false,
    example: ['docs/rectification-report.pdf'],
  })
  evidence?: string[];
}
