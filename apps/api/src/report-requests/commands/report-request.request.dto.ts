import { ArrayMinSize, Matches } from 'class-validator';
import { REPORT_REQUEST_KINDS, REPORT_REQUEST_LIMITS, type ReportRequestKind } from '@duban/domain';
import { AttachmentIdsField } from '../../attachments/attachment-ids';
import { EnumField, TextField, UuidArrayField, UuidField } from '../../http/fields';

/** A calendar date (due by the end of that day in TZ_AGENCY) or an instant with its offset. */
const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

export class CreateReportRequestRequestDto {
  @TextField({ max: REPORT_REQUEST_LIMITS.title, example: '效能风暴攻坚战专项报告' })
  title: string;

  @EnumField(REPORT_REQUEST_KINDS, {
    description: '专项报告 (special), 年度工作报告 (annual) or another report (other)',
  })
  kind: ReportRequestKind;

  @UuidArrayField({ maxItems: REPORT_REQUEST_LIMITS.unitIds, description: 'the units asked (at least one)' })
  @ArrayMinSize(1)
  unitIds: string[];

  @TextField({
    max: 40,
    example: '2026-12-10',
    description:
      'a date (due by the end of that day in TZ_AGENCY) or an ISO-8601 instant with its offset; must be after now',
  })
  @Matches(DATE_OR_INSTANT, { message: '$property must be a date (YYYY-MM-DD) or an ISO-8601 instant with an offset' })
  dueDate: string;

  @UuidField({ required: false, description: 'the programme (专项行动) the report belongs to' })
  programmeId?: string;
}

export class SubmitUnitReportRequestDto {
  @UuidField({ description: 'the reporting unit: a unit officer reports for their own unit only' })
  unitId: string;

  @TextField({ max: REPORT_REQUEST_LIMITS.text, description: 'the report' })
  text: string;

  @AttachmentIdsField('the files that go with the report')
  attachments?: string[];
}
