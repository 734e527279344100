import { ISSUE_LIMITS } from '@duban/domain';
import { InstantField, NestedArrayField, TextField } from '../../../http/fields';
import { AttachmentIdsField } from '../../../attachments/attachment-ids';

export class MeasureDto {
  @TextField({
    max: ISSUE_LIMITS.measureDescription,
    example: '建立首问负责制 (introduce first-contact responsibility)',
  })
  description: string;

  @TextField({ max: ISSUE_LIMITS.measureOwner, example: '王五' })
  owner: string;

  @InstantField({ example: '2026-12-15T10:00:00Z' })
  dueDate: string;
}

/** 整改任务书、时间表: the measures, each with an owner and a due date. */
export class SubmitPlanRequestDto {
  @NestedArrayField(() => MeasureDto, {
    minItems: ISSUE_LIMITS.measures.min,
    maxItems: ISSUE_LIMITS.measures.max,
  })
  measures: MeasureDto[];

  @AttachmentIdsField('the plan as a document (整改方案)')
  attachments?: string[];
}
