import { TextField } from '../../../http/fields';

export class WithdrawIssueRequestDto {
  @TextField({ max: 2000, example: '重复件 (duplicate)' })
  reason: string;
}
