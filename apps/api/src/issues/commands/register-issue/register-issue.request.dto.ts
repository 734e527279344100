import {
  ISSUE_KINDS,
  ISSUE_LIMITS,
  ISSUE_SOURCES,
  PERSON_LIMITS,
  PHASE_KEY_PATTERN,
  PROGRAMME_LIMITS,
  type IssueKind,
  type IssueSource,
} from '@duban/domain';
import { BoolField, EnumField, NestedField, TextField, UuidField } from '../../../http/fields';
import { AttachmentIdsField } from '../../../attachments/attachment-ids';

export class ReporterDto {
  @TextField({ max: ISSUE_LIMITS.reporterName, example: '李四 (Li Si)', description: "the reporter's name" })
  name: string;

  @TextField({ max: ISSUE_LIMITS.reporterPhone, required: false, pattern: /^[0-9+\-() ]+$/, example: '13800000000' })
  phone?: string;

  @TextField({
    max: ISSUE_LIMITS.reporterContact,
    required: false,
    example: '某市某区某路1号 / lisi@example.cn',
    description: 'other contact (address, e-mail …); personal data, sealed like name and phone',
  })
  contact?: string;

  @TextField({
    max: ISSUE_LIMITS.reporterIdNumber,
    required: false,
    pattern: /^[0-9A-Za-z-]+$/,
    example: '110101199003071234',
    description: 'identity document number (身份证号); personal data, sealed like name and phone',
  })
  idNumber?: string;

  @BoolField({
    required: false,
    example: true,
    description:
      'when true, only registrars and admins see who reported it (each look is recorded); defaults to true for hotline, petition and online sources (举报人保护)',
  })
  confidential?: boolean;
}

/** 被反映单位/人: a unit of the directory, or a name outside it, and/or a person */
export class AccusedDto {
  @UuidField({ required: false, description: 'the unit it is about, when it is in the directory' })
  unitId?: string;

  @TextField({ max: ISSUE_LIMITS.category, required: false, example: '某街道办事处' })
  name?: string;

  @TextField({ max: PERSON_LIMITS.name, required: false, example: '王某' })
  person?: string;
}

/** 领导批转/批示 */
export class ForwardedByDto {
  @TextField({ max: PERSON_LIMITS.name, example: '张三' })
  name: string;

  @TextField({ max: PERSON_LIMITS.title, required: false, example: '副市长' })
  title?: string;

  @TextField({ max: ISSUE_LIMITS.instruction, example: '请督查室跟踪督办，限期办结' })
  instruction: string;
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

  @AttachmentIdsField('evidence files (recordings, photos, letters)')
  attachments?: string[];

  @EnumField(ISSUE_KINDS, {
    required: false,
    example: 'problem',
    description: 'problem 问题 (default), suggestion 意见建议, task 任务',
  })
  kind?: IssueKind;

  @NestedField(() => AccusedDto, { required: false, description: '被反映单位/人' })
  accused?: AccusedDto;

  @TextField({
    max: ISSUE_LIMITS.intakeReference,
    required: false,
    example: '12345-2026-000123',
    description: '信访件号 / 12345 ticket',
  })
  reference?: string;

  @NestedField(() => ForwardedByDto, { required: false, description: '领导批转/批示' })
  forwardedBy?: ForwardedByDto;

  @BoolField({ required: false, description: '积案: a long-standing case' })
  backlog?: boolean;

  @UuidField({
    required: false,
    description: 'a task (任务) of this programme (POST /programmes); kind defaults to task and must be task',
  })
  programmeId?: string;

  @TextField({
    max: PROGRAMME_LIMITS.phaseKey,
    required: false,
    pattern: PHASE_KEY_PATTERN,
    example: 'battle-1',
    description: "the key of one of the programme's phases (攻坚战); only with programmeId",
  })
  phase?: string;
}
