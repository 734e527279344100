import { ISSUE_LIMITS, ISSUE_SOURCES, type IssueSource } from '@duban/domain';
import { BoolField, EnumField, NestedField, TextArrayField, TextField } from '../../../http/fields';

// the stats and list queries import the sources from here; '@duban/domain' is their home

export class ReporterDto {
  @TextField({ max: ISSUE_LIMITS.reporterName, example: '李四 (Li Si)', description: "the reporter's name" })
  name: string;

  @TextField({ max: ISSUE_LIMITS.reporterPhone, required: false, pattern: /^[0-9+\-() ]+$/, example: '13800000000' })
  phone?: string;

  @BoolField({
    required: false,
    example: true,
    description: 'when true, only registrars and admins see who reported it',
  })
  confidential?: boolean;
}

export class RegisterIssueRequestDto {
  @EnumField(ISSUE_SOURCES, {
    example: 'hotline',
    description: 'where the problem came from (举报电话, 信访件, 明察暗访 …)',
  })
  source: IssueSource;

  @TextField({ max: ISSUE_LIMITS.category, example: '作风建设 (work style)' })
  category: string;

  @TextField({
    max: ISSUE_LIMITS.title,
    example: '窗口单位办事推诿扯皮 (a service window passes citizens from desk to desk)',
  })
  title: string;

  @TextField({
    max: ISSUE_LIMITS.description,
    example:
      '群众反映某窗口工作人员对办事群众推诿，多次往返未办结。 (Citizens report being sent back repeatedly without their matter being handled.)',
  })
  description: string;

  @TextField({
    max: ISSUE_LIMITS.location,
    required: false,
    example: '行政服务中心三楼 (Administrative Service Centre, 3rd floor)',
  })
  location?: string;

  @NestedField(() => ReporterDto, { required: false })
  reporter?: ReporterDto;

  @TextArrayField({
    maxItems: ISSUE_LIMITS.references,
    maxLength: ISSUE_LIMITS.reference,
    required: false,
    example: ['evidence/recording-001.mp3'],
    description: 'references to stored attachments',
  })
  attachments?: string[];
}
