import { applyDecorators, type INestApplication } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiResponse,
  ApiSecurity,
  DocumentBuilder,
  type OpenAPIObject,
  type ReferenceObject,
  type SchemaObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { ISSUE_STATUSES } from '@duban/domain';
import { PROBLEM_CONTENT_TYPE } from './problem';
import { XLSX } from './xlsx';

/**
 * The OpenAPI document's vocabulary: per operation, its success answer with a schema, its problem answers
 * (application/problem+json, one `Problem` schema) and its security, so a generated client is typed end to end.
 */

const CSV = 'text/csv';
const NDJSON = 'application/x-ndjson';

export const ref = (name: keyof typeof SCHEMAS): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

type Schema = SchemaObject | ReferenceObject;

export const FREE_OBJECT: SchemaObject = { type: 'object', additionalProperties: true };
export const INSTANT: SchemaObject = { type: 'string', format: 'date-time' };
export const TEXT: SchemaObject = { type: 'string' };
export const INTEGER: SchemaObject = { type: 'integer' };
export const NUMBER: SchemaObject = { type: 'number' };
export const BOOLEAN: SchemaObject = { type: 'boolean' };
export const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
export const arrayOf = (items: Schema): SchemaObject => ({ type: 'array', items });
/** A map from names (unit ids, months, statuses…) to counts. */
export const COUNTS: SchemaObject = { type: 'object', additionalProperties: { type: 'integer' } };

/** An object whose listed members are always present; members not listed may follow. */
export function object(properties: Record<string, Schema>, required = Object.keys(properties)): SchemaObject {
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: true };
}

/** Schemas that several operations answer with; added to `components.schemas` by `buildOpenApiDocument`. */
const SCHEMAS = {
  Problem: {
    type: 'object',
    description:
      'RFC 9457 problem details: the body of every error answer (extension members such as `code` may follow)',
    required: ['type', 'title', 'status'],
    properties: {
      type: { type: 'string', format: 'uri', example: 'https://duban.dev/problems/conflict' },
      title: { type: 'string', example: 'Conflict' },
      status: { type: 'integer', minimum: 400, maximum: 599, example: 409 },
      detail: { type: 'string', description: 'what went wrong and, for a refusal, what to do instead' },
      instance: { type: 'string', description: 'the path that answered' },
      code: { type: 'string', description: 'a named domain refusal (illegal_transition, already_exists, …)' },
      errors: {
        type: 'array',
        description: 'for 400: one entry per bad field',
        items: {
          type: 'object',
          required: ['field', 'messages'],
          properties: { field: { type: 'string' }, messages: { type: 'array', items: { type: 'string' } } },
        },
      },
    },
    additionalProperties: true,
  },
  CommandAnswer: {
    type: 'object',
    description:
      'the stream that changed, its new revision (the next If-Match) and the global position (?minPosition=)',
    required: ['id', 'revision', 'position'],
    properties: {
      id: { type: 'string' },
      revision: { type: 'integer', minimum: 0 },
      position: { type: 'integer', minimum: 1 },
    },
  },
  IssueView: {
    type: 'object',
    description: 'an issue folded from its events (fields not listed here are documented in DESIGN.md)',
    required: ['id', 'status', 'revision'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      status: { type: 'string', enum: [...ISSUE_STATUSES] },
      revision: { type: 'integer', minimum: 0 },
      title: { type: 'string' },
      source: { type: 'string' },
      category: { type: 'string' },
      registeredAt: INSTANT,
      leadUnitId: { type: 'string', nullable: true },
      coUnitIds: { type: 'array', items: { type: 'string' } },
      deadline: { ...INSTANT, nullable: true },
      deadlineVersion: { type: 'integer', minimum: 0 },
      deadlineProvisional: {
        type: 'boolean',
        description: 'the working-day deadline was counted through a year whose holiday schedule is not published yet',
      },
      escalationLevel: { type: 'integer', minimum: 0, maximum: 4 },
      overdue: { type: 'boolean', nullable: true },
    },
    additionalProperties: true,
  },
  History: {
    type: 'object',
    description: "a stream's events, oldest first, with who did what when",
    required: ['events'],
    properties: {
      events: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'type', 'revision', 'position', 'recordedAt', 'data'],
          properties: {
            id: { type: 'string' },
            type: { type: 'string' },
            revision: { type: 'integer' },
            position: { type: 'integer' },
            recordedAt: INSTANT,
            actor: FREE_OBJECT,
            data: {},
          },
          additionalProperties: true,
        },
      },
    },
  },
  UnitView: {
    type: 'object',
    description: 'a unit folded from its events',
    required: ['id', 'code', 'name', 'status', 'revision'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      code: { type: 'string' },
      name: { type: 'string' },
      parentId: { type: 'string', nullable: true },
      status: { type: 'string' },
      revision: { type: 'integer', minimum: 0 },
    },
    additionalProperties: true,
  },
} satisfies Record<string, SchemaObject>;

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 416 | 422 | 503;

const PROBLEM_MEANS: Record<ProblemStatus, string> = {
  400: 'a malformed field, query value, header or body (`errors` names each bad field)',
  401: 'no valid bearer token',
  403: "the token's roles or unit may not do this",
  404: 'the path names nothing (whatever the shape of its id)',
  409: 'refused by a business rule in the current state, or a concurrent change, or an Idempotency-Key still running',
  412: 'If-Match names a revision that is no longer the current one',
  413: 'the body is larger than BODY_LIMIT (an upload: than ATTACHMENT_MAX_BYTES)',
  415: 'the body is not application/json (an upload: its type, sniffed from the bytes, is not accepted)',
  416: 'the Range asked for lies outside the file',
  422: 'this Idempotency-Key was already used with a different body',
  503: 'the read model did not reach ?minPosition= in time (Retry-After tells when to ask again)',
};

/** The problem answers an operation may give, each as application/problem+json with the Problem schema. */
export function ApiProblems(...statuses: ProblemStatus[]) {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({
        status,
        description: PROBLEM_MEANS[status],
        content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } },
      }),
    ),
  );
}

/** A JSON success answer. */
export function ApiJson(schema: Schema, status = 200, description = 'OK') {
  return ApiResponse({ status, description, content: { 'application/json': { schema } } });
}

/** `{items, nextCursor}`: one page of a list; `nextCursor` is null on the last page. */
export function ApiPage(item: Schema = FREE_OBJECT, cursor: 'string' | 'integer' = 'string') {
  return ApiJson({
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: { items: { type: 'array', items: item }, nextCursor: { type: cursor, nullable: true } },
  });
}

/** `{id, revision, position}` from a command: 201 when it created the stream, 200 when it changed one. */
export function ApiCommandAnswer(status: 200 | 201 = 200, extra?: Record<string, Schema>) {
  const schema = extra ? { allOf: [ref('CommandAnswer'), object(extra)] } : ref('CommandAnswer');
  return ApiJson(schema, status, status === 201 ? 'Created' : 'Applied');
}

/** A POST with a JSON body: the body is read (413, 415) and validated (400). */
export function ApiJsonBody() {
  return ApiProblems(400, 413, 415);
}

/** Every POST honours `Idempotency-Key`: a retry gets the first answer again and appends nothing. */
export function ApiIdempotent() {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: 'a retry with the same key and body is answered once',
    }),
    ApiProblems(409, 422),
  );
}

/** An issue or a unit as it stands (or stood at ?asOf=), with its revision as the ETag. */
export function ApiView(view: 'IssueView' | 'UnitView') {
  return ApiResponse({
    status: 200,
    description: 'OK; ETag is its revision',
    headers: { ETag: { description: 'the revision, for If-Match', schema: { type: 'string' } } },
    content: { 'application/json': { schema: ref(view) } },
  });
}

export function ApiHistory() {
  return ApiJson(ref('History'));
}

/** A success answer in several formats chosen by suffix or Accept: JSON, CSV and/or XLSX (binary). */
export function ApiFormats(formats: { json?: Schema; csv?: boolean; xlsx?: boolean }) {
  const binary: SchemaObject = { type: 'string', format: 'binary' };
  return ApiResponse({
    status: 200,
    description: 'OK (a download carries Content-Disposition: attachment)',
    content: {
      ...(formats.json ? { 'application/json': { schema: formats.json } } : {}),
      ...(formats.csv ? { [CSV]: { schema: binary } } : {}),
      ...(formats.xlsx ? { [XLSX]: { schema: binary } } : {}),
    },
  });
}

/** A stream of JSON lines. */
export function ApiNdjson(description: string) {
  return ApiResponse({
    status: 200,
    description,
    content: { [NDJSON]: { schema: { type: 'string', description: 'one JSON object per line' } } },
  });
}

/** `If-Match: "<revision>"`: the command applies only to that revision (412 otherwise). */
export function ApiIfMatch() {
  return applyDecorators(
    ApiHeader({ name: 'If-Match', required: false, description: 'the revision read (ETag), e.g. "3"' }),
    ApiProblems(412),
  );
}

/*
 * The commands' answers composed: each lists its parts in the order a stack of decorators applies them (bottom up),
 * so the document reads as it did with the stack spelled out on every route.
 */

const createCommand = (problems: ProblemStatus[], extra?: Record<string, Schema>) =>
  applyDecorators(ApiIdempotent(), ApiProblems(...problems), ApiJsonBody(), ApiCommandAnswer(201, extra));

/** A command creating a stream: 201 `{id, revision, position}` (and `extra`), a JSON body, Idempotency-Key; 403. */
export const ApiCreateCommand = (extra?: Record<string, Schema>) => createCommand([403], extra);

/** A command creating a stream within the one the path names: as `ApiCreateCommand`, and 404 when there is none. */
export const ApiCreateWithinCommand = (extra?: Record<string, Schema>) => createCommand([403, 404], extra);

/** A command on the stream the path names: 200 `{id, revision, position}` (and `extra`), a JSON body, If-Match, Idempotency-Key; 403, 404. */
export function ApiChangeCommand(extra?: Record<string, Schema>) {
  return applyDecorators(
    ApiIdempotent(),
    ApiProblems(403, 404),
    ApiIfMatch(),
    ApiJsonBody(),
    ApiCommandAnswer(200, extra),
  );
}

/** Needs a bearer token: 401 without a valid one. */
export function ApiBearer() {
  return applyDecorators(ApiBearerAuth(), ApiProblems(401));
}

/** No token needed; an empty requirement says so explicitly (OpenAPI's "anonymous allowed"). */
export function ApiPublic(...alsoAccepts: ('bearer' | 'metricsToken')[]) {
  return applyDecorators(ApiSecurity({}), ...alsoAccepts.map((scheme) => ApiSecurity(scheme)));
}

/** The served document: every controller's decorators plus the shared schemas above. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Duban (督办) API')
    .setDescription(
      'Register problems, assign them to units with deadlines, follow their rectification to closure (销号), and audit every step.',
    )
    .setVersion('1')
    .addServer('/', 'this server')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, required by GET /metrics when it is set' },
      'metricsToken',
    )
    .build();
  // package.json says UNLICENSED: proprietary, so a license name without a URL
  config.info.license = { name: 'UNLICENSED' };
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...SCHEMAS } };
  return document;
}
