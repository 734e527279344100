import { TextField } from '../../../http/fields';

/** 销号备案 */
export class CloseIssueRequestDto {
  @TextField({ max: 2000, required: false, example: '销号备案 (closed and filed)' })
  note?: string;
}
