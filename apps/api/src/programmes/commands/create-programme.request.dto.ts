import { PERSON_LIMITS, PHASE_KEY_PATTERN, PROGRAMME_KINDS, PROGRAMME_LIMITS, type ProgrammeKind } from '@duban/domain';
import { EnumField, IntField, NestedArrayField, NestedField, TextArrayField, TextField } from '../../http/fields';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Calendar dates, both days included. */
export class PeriodDto {
  @TextField({ max: 10, pattern: DATE, example: '2026-03-01', description: 'the first day (YYYY-MM-DD)' })
  from: string;

  @TextField({ max: 10, pattern: DATE, example: '2026-12-31', description: 'the last day (YYYY-MM-DD)' })
  to: string;
}

/** 牵头市领导 */
export class LeadLeaderDto {
  @TextField({ max: PERSON_LIMITS.name, example: '张三' })
  name: string;

  @TextField({ max: PERSON_LIMITS.title, example: '副市长' })
  title: string;
}

/** A phase (阶段, or one of 五大攻坚战) with its own dates inside the programme's period. */
export class PhaseDto extends PeriodDto {
  @TextField({
    max: PROGRAMME_LIMITS.phaseKey,
    pattern: PHASE_KEY_PATTERN,
    example: 'battle-1',
    description: 'unique within the programme; tasks name it as their phase',
  })
  key: string;

  @TextField({ max: PROGRAMME_LIMITS.phaseName, example: '优化营商环境攻坚战' })
  name: string;
}

export class CreateProgrammeRequestDto {
  @TextField({ max: PROGRAMME_LIMITS.name, example: '效能风暴行动' })
  name: string;

  @IntField({ ...PROGRAMME_LIMITS.year, example: 2026, description: 'the year it is filed under (within its period)' })
  year: number;

  @EnumField(PROGRAMME_KINDS, { example: 'campaign', description: 'campaign 专项行动/攻坚战, key_work 重点工作' })
  kind: ProgrammeKind;

  @NestedField(() => PeriodDto, { description: 'from and to, calendar dates' })
  period: PeriodDto;

  @NestedField(() => LeadLeaderDto, { required: false, description: '牵头市领导' })
  leadLeader?: LeadLeaderDto;

  @NestedArrayField(() => PhaseDto, { maxItems: PROGRAMME_LIMITS.phases, required: false })
  phases?: PhaseDto[];

  @TextArrayField({
    maxItems: PROGRAMME_LIMITS.targets,
    maxLength: PROGRAMME_LIMITS.target,
    required: false,
    example: ['年底前审批时限压缩50%'],
    description: '阶段性目标/工作目标',
  })
  targets?: string[];
}
