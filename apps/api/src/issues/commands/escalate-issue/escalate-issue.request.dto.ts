import { IntField, TextField } from '../../../http/fields';

/** 1 督办, 2 重点督办, 3 约谈, 4 问责 */
export class EscalateIssueRequestDto {
  @IntField({ min: 1, max: 4, example: 2 })
  level: number;

  @TextField({ max: 2000, example: '推进缓慢 (progress too slow)' })
  reason: string;
}
