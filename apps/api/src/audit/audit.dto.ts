import { InstantField, IntField, TextField } from '../http/fields';

export class AuditEventsQueryDto {
  @IntField({
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    required: false,
    query: true,
    description: 'events after this global position (exclusive); 0 = from the start',
  })
  fromPosition?: number;

  @IntField({ min: 1, max: 1000, required: false, query: true, example: 100 })
  limit?: number;
}

/** Stream ids as the store accepts them: no whitespace, not starting with "$". */
export const STREAM_ID = /^[^\s$][^\s]{0,199}$/u;

export class StreamParamsDto {
  @TextField({ max: 200, pattern: STREAM_ID, description: 'e.g. issue-<uuid>, unit-<uuid>, audit' })
  streamId: string;
}

export class AsOfQueryDto {
  @InstantField({
    required: false,
    example: '2026-11-01T00:00:00Z',
    description: 'the state as it stood at this instant',
  })
  asOf?: string;
}

export class VerifyQueryDto {
  @TextField({
    max: 4000,
    required: false,
    description:
      'a digest kept outside the system: the JSON printed by `npm run audit -- digest`, a line of GET /audit/digests, or "<position>:<hex>"',
  })
  against?: string;
}
