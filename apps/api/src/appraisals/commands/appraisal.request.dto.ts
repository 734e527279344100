import { IsObject } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import {
  APPRAISAL_DEFAULTS,
  APPRAISAL_KEY_PATTERN as KEY,
  APPRAISAL_LIMITS as L,
  BALLOT_TOKEN_PATTERN,
  PERSON_ID_PATTERN,
  TARGET_KINDS,
} from '@duban/domain';
import {
  BoolField,
  EnumField,
  IntField,
  NestedArrayField,
  NestedField,
  NumberField,
  TextArrayField,
  TextField,
  UuidArrayField,
  UuidField,
} from '../../http/fields';

export class WeightedItemDto {
  @TextField({ max: L.key, pattern: KEY, example: 'efficiency' })
  key: string;

  @TextField({ max: L.itemName, example: '办事效率 (efficiency)' })
  name: string;

  @NumberField({ min: 0, max: 1, example: 0.25 })
  weight: number;
}

export class RoundDto {
  @TextField({ max: L.key, pattern: KEY, example: 'external' })
  key: string;

  @TextField({ max: L.itemName, example: '外部评议 (external appraisal)' })
  name: string;
}

export class ScaleDto {
  @NumberField({ ...L.scale, example: 0 })
  min: number;

  @NumberField({ ...L.scale, example: 100 })
  max: number;
}

/** A person appraised (e.g. a section chief 科长); ballots name them by `id`. */
export class PersonTargetDto {
  @TextField({ max: L.personId, pattern: PERSON_ID_PATTERN, example: 'K-0001' })
  id: string;

  @TextField({ max: L.personName, example: '李科长' })
  name: string;

  @UuidField({ description: "the person's unit (from the directory)" })
  unitId: string;

  @TextField({ max: L.itemName, required: false, example: '行政审批科科长' })
  title?: string;
}

/** A system (系统) of units, ranked among themselves as well (systemRank). */
export class SystemDto {
  @TextField({ max: L.key, pattern: KEY, example: 'economy' })
  key: string;

  @TextField({ max: L.itemName, example: '经济系统' })
  name: string;

  @UuidArrayField({ maxItems: L.units.max, description: 'its units; a unit belongs to one system at most' })
  unitIds: string[];
}

/** 免评 earned: the top N of an earlier, published campaign are exempt (besides exemptUnitIds). */
export class ExemptFromDto {
  @UuidField({ description: 'an earlier campaign whose results are published' })
  campaignId: string;

  @IntField({ min: 1, max: L.top.max, example: 3 })
  top: number;
}

/** 民主评议: the campaign's units, criteria, evaluator groups, rounds and rules. */
export class CreateCampaignRequestDto {
  @TextField({ max: L.name, example: '2026年度民主评议政风行风' })
  name: string;

  @IntField({ ...L.year, example: 2026 })
  year: number;

  @EnumField(TARGET_KINDS, {
    required: false,
    description: 'what is ranked: units (default) or people (give `targets`; ballots name `targetId`)',
  })
  targetKind?: 'unit' | 'person';

  @UuidArrayField({
    maxItems: L.units.max,
    required: false,
    description:
      'participating units (from the directory); required for a campaign of units, optional for people (their units are taken from targets)',
  })
  unitIds?: string[];

  @NestedArrayField(() => PersonTargetDto, {
    maxItems: L.people.max,
    required: false,
    description: 'targetKind person: the people ranked, each with their unit',
  })
  targets?: PersonTargetDto[];

  @TextArrayField({
    maxItems: L.people.max,
    maxLength: L.personId,
    pattern: PERSON_ID_PATTERN,
    required: false,
    description: 'targetKind person: 免评 people (exempt from scoring)',
  })
  exemptTargetIds?: string[];

  @NestedField(() => ExemptFromDto, {
    required: false,
    description: '免评 earned: the top N of an earlier published campaign of the same kind are exempt',
  })
  exemptFrom?: ExemptFromDto;

  @NestedArrayField(() => SystemDto, {
    maxItems: L.systems.max,
    required: false,
    description: '系统: results carry each target’s rank within its (its unit’s) system as systemRank',
  })
  systems?: SystemDto[];

  @IntField({
    ...L.top,
    required: false,
    example: 10,
    description: 'the top N ranked (not in the bottom N) are flagged advanced (先进); default 0',
  })
  advancedTop?: number;

  @UuidArrayField({
    maxItems: L.units.max,
    required: false,
    description: '免评: exempt from scoring, not from rectification',
  })
  exemptUnitIds?: string[];

  @NestedArrayField(() => WeightedItemDto, {
    minItems: L.weightedItems.min,
    maxItems: L.weightedItems.max,
    description: 'weights sum to 1',
  })
  criteria: WeightedItemDto[];

  @NestedField(() => ScaleDto)
  scale: ScaleDto;

  @NestedArrayField(() => WeightedItemDto, {
    minItems: L.weightedItems.min,
    maxItems: L.weightedItems.max,
    description: 'evaluator groups (public, enterprise, supervisor, internal, …); weights sum to 1',
  })
  groups: WeightedItemDto[];

  @NestedArrayField(() => RoundDto, { minItems: L.rounds.min, maxItems: L.rounds.max })
  rounds: RoundDto[];

  @IntField({
    ...L.bottomCount,
    required: false,
    example: 5,
    description: 'the bottom N ranked units are flagged (give this or bottomShare)',
  })
  bottomN?: number;

  @NumberField({
    min: 0,
    max: 1,
    required: false,
    example: 0.05,
    description: 'or: the bottom share of the ranked units (rounded up)',
  })
  bottomShare?: number;

  @NumberField({
    ...L.scale,
    required: false,
    example: 60,
    description:
      'a ranked unit scoring under it gets a rectification issue (source public_appraisal) when results are published',
  })
  lowScoreThreshold?: number;

  @BoolField({
    required: false,
    description: `the bottom N ranked units get a rectification issue too (default ${APPRAISAL_DEFAULTS.bottomRectification})`,
  })
  bottomRectification?: boolean;

  @IntField({
    ...L.rectificationWorkingDays,
    required: false,
    example: APPRAISAL_DEFAULTS.rectificationWorkingDays,
    description: `the time limit of each rectification issue publishing opens, in working days (default ${APPRAISAL_DEFAULTS.rectificationWorkingDays})`,
  })
  rectificationWorkingDays?: number;
}

export class RegisterEvaluatorRequestDto {
  @TextField({ max: L.key, pattern: KEY, example: 'supervisor' })
  group: string;

  @TextField({ max: L.itemName, example: '张监督 (a supervisor 监督员)' })
  name: string;

  @TextField({
    max: L.userId,
    example: 'sup-001',
    description: "the evaluator's user id (JWT `sub`); they vote with their token as an assessor",
  })
  userId: string;
}

export class IssueBallotTokensRequestDto {
  @TextField({ max: L.key, pattern: KEY, example: 'public' })
  group: string;

  @IntField({ ...L.tokensPerBatch, example: 500 })
  count: number;
}

export class CastBallotRequestDto {
  @TextField({ max: L.key, pattern: KEY, example: 'external' })
  round: string;

  @TextField({
    max: 36,
    pattern: /^[0-9a-f-]{36}$/i,
    required: false,
    example: '22222222-2222-4222-8222-222222222222',
    description: 'a campaign of units: the unit voted on',
  })
  unitId?: string;

  @TextField({
    max: L.personId,
    pattern: PERSON_ID_PATTERN,
    required: false,
    example: 'K-0001',
    description: 'a campaign of people: the person voted on',
  })
  targetId?: string;

  @ApiProperty({
    example: { attitude: 90, efficiency: 85 },
    description: "a score per criterion key, on the campaign's scale",
  })
  @IsObject()
  scores: Record<string, number>;

  @TextField({ max: L.comment, required: false, example: '窗口服务热情，但办事流程繁琐' })
  comment?: string;

  @TextField({
    max: L.ballotToken,
    required: false,
    pattern: BALLOT_TOKEN_PATTERN,
    description: 'an anonymous ballot token (no JWT needed then)',
  })
  token?: string;
}
