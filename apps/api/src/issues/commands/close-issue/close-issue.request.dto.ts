import { ISSUE_LIMITS } from '@duban/domain';
import { TextField } from '../../../http/fields';

/** 销号备案 */
export class CloseIssueRequestDto {
  @TextField({ max: ISSUE_LIMITS.note, required: false, example: '销号备案 (closed and filed)' })
  note?: string;
}
