import { ArrayMinSize } from 'class-validator';
import { NOTICE_KINDS, NOTICE_LIMITS, type NoticeKind } from '@duban/domain';
import { EnumField, TextField, UuidArrayField } from '../../http/fields';

export class CreateNoticeRequestDto {
  @EnumField(NOTICE_KINDS, { description: '通报批评 (criticism), 通报表扬 (commendation) or 情况通报 (information)' })
  kind: NoticeKind;

  @TextField({ max: NOTICE_LIMITS.title, example: '关于市住建局推诿扯皮问题的通报' })
  title: string;

  @TextField({ max: NOTICE_LIMITS.body, description: 'the text of the notice as it is published' })
  body: string;

  @UuidArrayField({ maxItems: NOTICE_LIMITS.unitIds, description: 'the units the notice names (at least one)' })
  @ArrayMinSize(1)
  unitIds: string[];

  @UuidArrayField({ maxItems: NOTICE_LIMITS.issueIds, required: false, description: 'the issues it is about' })
  issueIds?: string[];
}
