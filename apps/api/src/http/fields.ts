import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/**
 * Field decorators that validate and document at once, so a DTO reads as its contract.
 * Optional fields may be absent but not `null`: null is a wrong type, not "no value".
 */
interface Common {
  required?: boolean;
  description?: string;
  example?: unknown;
}

const optional = (required: boolean | undefined) =>
  required === false ? [ValidateIf((_: unknown, value: unknown) => value !== undefined)] : [];
const doc = (o: Common, extra: ApiPropertyOptions = {}) =>
  ApiProperty({
    required: o.required !== false,
    description: o.description,
    example: o.example,
    ...extra,
  } as ApiPropertyOptions);

export const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function TextField(o: Common & { max: number; min?: number; pattern?: RegExp }) {
  return applyDecorators(
    doc(o, { type: String, maxLength: o.max, minLength: o.min ?? 1 }),
    ...optional(o.required),
    IsString(),
    MinLength(o.min ?? 1),
    MaxLength(o.max),
    ...(o.pattern ? [Matches(o.pattern)] : []),
  );
}

export function EnumField(values: readonly string[], o: Common = {}) {
  return applyDecorators(
    doc(o, { enum: values }),
    ...optional(o.required),
    IsString(),
    IsIn(values as string[], { message: `$property must be one of: ${values.join(', ')}` }),
  );
}

/** An ISO-8601 instant with its offset (`2026-12-31T16:00:00Z`, `2027-01-01T00:00:00+08:00`). */
export function InstantField(o: Common = {}) {
  return applyDecorators(
    doc(o, { type: String, format: 'date-time' }),
    ...optional(o.required),
    IsString(),
    MaxLength(40),
    Matches(ISO_INSTANT, {
      message: '$property must be an ISO-8601 instant with a time zone, e.g. 2026-12-31T16:00:00Z',
    }),
    IsISO8601({ strict: true }, { message: '$property must be a real calendar date and time' }),
  );
}

/** `query: true` for query-string parameters, which arrive as text */
export function IntField(o: Common & { min: number; max: number; query?: boolean }) {
  return applyDecorators(
    doc(o, { type: 'integer', minimum: o.min, maximum: o.max }),
    ...optional(o.required),
    ...(o.query ? [Type(() => Number)] : []),
    IsInt(),
    Min(o.min),
    Max(o.max),
  );
}

/** `?minPosition=`: read-your-writes — the query waits until the read model has applied this position of the log. */
export function MinPositionField(
  description = 'wait until the read model has applied this position (read-your-writes)',
) {
  return IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true, description });
}

export function NumberField(o: Common & { min: number; max: number }) {
  return applyDecorators(
    doc(o, { type: Number, minimum: o.min, maximum: o.max }),
    ...optional(o.required),
    IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(o.min),
    Max(o.max),
  );
}

export function BoolField(o: Common = {}) {
  return applyDecorators(doc(o, { type: Boolean }), ...optional(o.required), IsBoolean());
}

export function UuidField(o: Common = {}) {
  return applyDecorators(doc(o, { type: String, format: 'uuid' }), ...optional(o.required), IsString(), IsUUID('all'));
}

export function UuidArrayField(o: Common & { maxItems: number }) {
  return applyDecorators(
    doc(o, { type: [String], maxItems: o.maxItems }),
    ...optional(o.required),
    IsArray(),
    ArrayMaxSize(o.maxItems),
    IsString({ each: true }),
    IsUUID('all', { each: true }),
  );
}

export function TextArrayField(
  o: Common & { maxItems: number; maxLength: number; minItems?: number; pattern?: RegExp },
) {
  return applyDecorators(
    doc(o, { type: [String], maxItems: o.maxItems }),
    ...optional(o.required),
    IsArray(),
    ArrayMaxSize(o.maxItems),
    ...(o.minItems ? [ArrayMinSize(o.minItems)] : []),
    IsString({ each: true }),
    MinLength(1, { each: true }),
    MaxLength(o.maxLength, { each: true }),
    ...(o.pattern ? [Matches(o.pattern, { each: true })] : []),
  );
}

export function NestedField(type: () => new () => object, o: Common = {}) {
  // @nestjs/swagger calls a type thunk only when the function is named `type`; a bare arrow would be read as a class named ''
  return applyDecorators(
    doc(o, { type: () => type() }),
    ...optional(o.required),
    IsObject(),
    ValidateNested(),
    Type(type),
  );
}

export function NestedArrayField(type: () => new () => object, o: Common & { maxItems: number; minItems?: number }) {
  return applyDecorators(
    doc(o, { type: [type()] as never, maxItems: o.maxItems }),
    ...optional(o.required),
    IsArray(),
    ArrayMinSize(o.minItems ?? 0),
    ArrayMaxSize(o.maxItems),
    IsObject({ each: true }),
    ValidateNested({ each: true }),
    Type(type),
  );
}
