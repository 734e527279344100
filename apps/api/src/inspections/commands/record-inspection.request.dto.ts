import { ArrayMinSize } from 'class-validator';
import { INSPECTION_KINDS, INSPECTION_LIMITS, type InspectionKind } from '@duban/domain';
import { EnumField, TextArrayField, TextField, UuidArrayField, UuidField } from '../../http/fields';

export class RecordInspectionRequestDto {
  @EnumField(INSPECTION_KINDS, {
    example: 'undercover',
    description: 'open 明察, undercover 暗访, special 专项督察',
  })
  kind: InspectionKind;

  @TextField({ max: 10, pattern: /^\d{4}-\d{2}-\d{2}$/, example: '2026-05-12', description: 'the day (YYYY-MM-DD)' })
  date: string;

  @TextArrayField({
    maxItems: INSPECTION_LIMITS.team,
    maxLength: INSPECTION_LIMITS.teamMember,
    minItems: 1,
    example: ['王五', '赵六'],
    description: 'the members of the inspection team',
  })
  team: string[];

  @UuidArrayField({ maxItems: INSPECTION_LIMITS.unitIds, description: 'the units checked (at least one)' })
  @ArrayMinSize(1)
  unitIds: string[];

  @UuidField({ required: false, description: 'the programme the inspection belongs to' })
  programmeId?: string;
}
