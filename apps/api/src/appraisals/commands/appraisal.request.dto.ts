import { IsObject } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { IntField, NestedArrayField, NestedField, NumberField, TextField, UuidArrayField } from '../../http/fields';

const KEY = /^[a-z][a-z0-9_-]{0,39}$/;

export class WeightedItemDto {
  @TextField({ max: 40, pattern: KEY, example: 'efficiency' })
  key: string;

  @TextField({ max: 100, example: '办事效率 (efficiency)' })
  name: string;

  @NumberField({ min: 0, max: 1, example: 0.25 })
  weight: number;
}

export class RoundDto {
  @TextField({ max: 40, pattern: KEY, example: 'external' })
  key: string;

  @TextField({ max: 100, example: '外部评议 (external appraisal)' })
  name: string;
}

export class ScaleDto {
  @NumberField({ min: -1000, max: 1000, example: 0 })
  min: number;

  @NumberField({ min: -1000, max: 1000, example: 100 })
  max: number;
}

/** 民主评议: the campaign's units, criteria, evaluator groups, rounds and rules. */
export class CreateCampaignRequestDto {
  @TextField({ max: 200, example: '2026年度民主评议政风行风' })
  name: string;

  @IntField({ min: 2000, max: 2100, example: 2026 })
  year: number;

  @UuidArrayField({ maxItems: 2000, description: 'participating units (from the directory)' })
  unitIds: string[];

  @UuidArrayField({ maxItems: 2000, required: false, description: '免评: exempt from scoring, not from rectification' })
  exemptUnitIds?: string[];

  @NestedArrayField(() => WeightedItemDto, { minItems: 1, maxItems: 20, description: 'weights sum to 1' })
  criteria: WeightedItemDto[];

  @NestedField(() => ScaleDto)
  scale: ScaleDto;

  @NestedArrayField(() => WeightedItemDto, {
    minItems: 1,
    maxItems: 20,
    description: 'evaluator groups (public, enterprise, supervisor, internal, …); weights sum to 1',
  })
  groups: WeightedItemDto[];

  @NestedArrayField(() => RoundDto, { minItems: 1, maxItems: 10 })
  rounds: RoundDto[];

  @IntField({
    min: 0,
    max: 2000,
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
    min: -1000,
    max: 1000,
    required: false,
    example: 60,
    description:
      'a ranked unit scoring under it gets a rectification issue (source public_appraisal) when results are published',
  })
  lowScoreThreshold?: number;
}

export class RegisterEvaluatorRequestDto {
  @TextField({ max: 40, pattern: KEY, example: 'supervisor' })
  group: string;

  @TextField({ max: 100, example: '张监督 (a supervisor 监督员)' })
  name: string;

  @TextField({
    max: 200,
    example: 'sup-001',
    description: "the evaluator's user id (JWT `sub`); they vote with their token as an assessor",
  })
  userId: string;
}

export class IssueBallotTokensRequestDto {
  @TextField({ max: 40, pattern: KEY, example: 'public' })
  group: string;

  @IntField({ min: 1, max: 10_000, example: 500 })
  count: number;
}

export class CastBallotRequestDto {
  @TextField({ max: 40, pattern: KEY, example: 'external' })
  round: string;

  @TextField({ max: 36, pattern: /^[0-9a-f-]{36}$/i, example: '22222222-2222-4222-8222-222222222222' })
  unitId: string;

  @ApiProperty({
    example: { attitude: 90, efficiency: 85 },
    description: "a score per criterion key, on the campaign's scale",
  })
  @IsObject()
  scores: Record<string, number>;

  @TextField({ max: 2000, required: false, example: '窗口服务热情，但办事流程繁琐' })
  comment?: string;

  @TextField({
    max: 100,
    required: false,
    pattern: /^[A-Za-z0-9_-]{20,100}$/,
    description: 'an anonymous ballot token (no JWT needed then)',
  })
  token?: string;
}
