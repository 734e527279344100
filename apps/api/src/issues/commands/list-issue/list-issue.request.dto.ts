import { EnumField, TextField } from '../../../http/fields';

/** 红黑榜 */
export class ListIssueRequestDto {
  @EnumField(['red', 'black'], { example: 'red' })
  list: 'red' | 'black';

  @TextField({ max: 2000, example: '提前办结，群众满意 (closed early, public satisfied)' })
  reason: string;
}
