import { TextArrayField, TextField } from '../../../http/fields';

/** 上报整改结果 */
export class ReportResultRequestDto {
  @TextField({ max: 10_000, example: '已整改到位，建立长效机制 (rectified, with a lasting mechanism)' })
  summary: string;

  @TextArrayField({ maxItems: 50, maxLength: 500, required: false, example: ['docs/rectification-report.pdf'] })
  evidence?: string[];
}
