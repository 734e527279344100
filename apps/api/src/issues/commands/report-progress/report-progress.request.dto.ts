import { ISSUE_LIMITS } from '@duban/domain';
import { NumberField, TextField } from '../../../http/fields';
import { AttachmentIdsField } from '../../../attachments/attachment-ids';

/** 按月上报工作进度 */
export class ReportProgressRequestDto {
  @TextField({ max: ISSUE_LIMITS.progressText, example: '已完成窗口人员培训 (staff training finished)' })
  text: string;

  @NumberField({ ...ISSUE_LIMITS.percent, required: false, example: 40 })
  percent?: number;

  @AttachmentIdsField('files documenting the progress')
  attachments?: string[];
}
