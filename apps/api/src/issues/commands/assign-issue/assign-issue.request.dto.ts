import { ASSIGNMENT_MODES, ISSUE_LIMITS, type AssignmentMode } from '@duban/domain';
import {
  EnumField,
  InstantField,
  IntField,
  NestedField,
  TextArrayField,
  TextField,
  UuidArrayField,
  UuidField,
} from '../../../http/fields';
import { PersonDto } from '../../../http/person.dto';

/** the responsible person (责任人) */
export class ResponsiblePersonDto extends PersonDto {}

export class AssignIssueRequestDto {
  @UuidField({ description: 'the lead unit (牵头单位)' })
  leadUnitId: string;

  @UuidArrayField({ maxItems: ISSUE_LIMITS.coUnits, required: false, description: 'co-operating units (协办单位)' })
  coUnitIds?: string[];

  @UuidArrayField({
    maxItems: ISSUE_LIMITS.coUnits,
    required: false,
    description:
      'responsible units (责任单位): each reports progress on its part; only the lead unit plans and reports the result',
  })
  responsibleUnitIds?: string[];

  @NestedField(() => ResponsiblePersonDto, { description: 'the responsible person (责任人)' })
  responsiblePerson: ResponsiblePersonDto;

  @InstantField({
    required: false,
    example: '2026-12-31T16:00:00Z',
    description: 'the deadline (限期) as an instant; give this or deadlineWorkingDays',
  })
  deadline?: string;

  @IntField({
    ...ISSUE_LIMITS.deadlineWorkingDays,
    required: false,
    example: 15,
    description: 'the deadline as N working days from now, against the holiday calendar (调休 included)',
  })
  deadlineWorkingDays?: number;

  @TextField({
    max: ISSUE_LIMITS.instructions,
    required: false,
    example: '限期整改，按月上报进度 (rectify within the limit, report monthly)',
  })
  instructions?: string;

  @TextArrayField({
    maxItems: ISSUE_LIMITS.partnerAgencies,
    maxLength: ISSUE_LIMITS.partnerAgency,
    required: false,
    example: ['市信访局'],
    description: '联合交办: the agencies the office assigns jointly with (信访局, 考核办, 审计局 …)',
  })
  partnerAgencies?: string[];

  @EnumField(ASSIGNMENT_MODES, {
    example: 'counterpart',
    description: 'leader 一把手集中交办, counterpart 对口交办, joint 联合交办',
  })
  mode: AssignmentMode;
}
