import { NumberField, TextField } from '../../../http/fields';

/** 按月上报工作进度 */
export class ReportProgressRequestDto {
  @TextField({ max: 10_000, example: '已完成窗口人员培训 (staff training finished)' })
  text: string;

  @NumberField({ min: 0, max: 100, required: false, example: 40 })
  percent?: number;
}
