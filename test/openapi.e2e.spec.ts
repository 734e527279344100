import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApi, TestApi } from './support/api';
import { tempDir } from './support/temp-dir';

type Json = Record<string, unknown>;
interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
}

const ROOT = join(__dirname, '..');
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
/** Called without a JWT: probes, the scraper, anonymous ballots (which also accept one) and public disclosure. */
const PUBLIC = [
  'GET /health',
  'GET /metrics',
  'POST /api/v1/appraisals/{id}/ballots',
  'GET /public/v1/lists/red',
  'GET /public/v1/lists/black',
  'GET /public/v1/notices',
  'GET /public/v1/appraisals/{id}/results',
];
/** Terminus answers an unhealthy probe with its own report, which is what probes and dashboards read. */
const NOT_PROBLEMS = ['GET /health 503'];

function operations(document: Json): [string, Operation][] {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m): [string, Operation] => [`${m.toUpperCase()} ${path}`, item[m]]),
  );
}

/** What an operation leaves undeclared; empty when it is complete. */
function gaps(name: string, operation: Operation): string[] {
  const missing: string[] = [];
  const responses = Object.entries(operation.responses ?? {});
  const success = responses.filter(([status]) => /^2/.test(status));
  if (!success.some(([, r]) => Object.values(r.content ?? {}).some((media) => media.schema)))
    missing.push('a 2xx response with a schema');
  for (const [status, response] of responses) {
    if (!/^[45]/.test(status) || NOT_PROBLEMS.includes(`${name} ${status}`)) continue;
    const schema = response.content?.['application/problem+json']?.schema as Json | undefined;
    if (schema?.$ref !== '#/components/schemas/Problem') missing.push(`${status} as application/problem+json Problem`);
  }
  if (!responses.some(([status]) => /^[45]/.test(status))) missing.push('its problem responses');
  const security = operation.security ?? [];
  if (security.length === 0) missing.push('a security requirement');
  const anonymous = security.some((requirement) => Object.keys(requirement).length === 0);
  if (anonymous !== PUBLIC.includes(name)) missing.push(anonymous ? 'bearer security (it says public)' : 'public');
  return missing;
}

function danglingRefs(document: Json): string[] {
  const resolve = (ref: string): unknown =>
    ref
      .slice(2)
      .split('/')
      .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document);
  const dangling: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const ref = (node as Json).$ref;
    if (typeof ref === 'string') {
      const target = ref.startsWith('#/') ? resolve(ref) : undefined;
      // `#/components/schemas/` (an empty name) resolves to the whole map: a schema must be named
      if (!target || ref.endsWith('/') || target === (document.components as Json)?.schemas) dangling.push(ref);
    }
    Object.values(node).forEach(walk);
  };
  walk(document);
  return [...new Set(dangling)];
}

describe('the OpenAPI document served at /docs/openapi.json', () => {
  let api: TestApi;
  let document: Json;

  beforeAll(async () => {
    api = await startTestApi();
    const response = await api.http.get('/docs/openapi.json').expect(200);
    document = response.body as Json;
  });
  afterAll(() => api.close());

  it('lists the operations of every controller', () => {
    const names = operations(document).map(([name]) => name);
    expect(names).toEqual(
      expect.arrayContaining([
        'GET /health',
        'GET /metrics',
        'POST /api/v1/issues',
        'POST /api/v1/issues/{id}/close',
        'POST /api/v1/units',
        'GET /api/v1/ledgers/{name}',
        'GET /api/v1/audit/verify',
        'POST /api/v1/appraisals/{id}/ballots',
      ]),
    );
  });

  it('declares for every operation a 2xx schema, problem+json errors and its security (names each gap)', () => {
    const incomplete = Object.fromEntries(
      operations(document)
        .map(([name, operation]) => [name, gaps(name, operation)] as const)
        .filter(([, missing]) => missing.length > 0),
    );
    expect(incomplete).toEqual({});
  });

  it('declares the Problem schema of RFC 9457 with its errors list', () => {
    const problem = (document.components as Json & { schemas: Record<string, Json> }).schemas.Problem;
    expect(problem.required).toEqual(['type', 'title', 'status']);
    expect(Object.keys(problem.properties as Json)).toEqual(
      expect.arrayContaining(['type', 'title', 'status', 'detail', 'instance', 'errors']),
    );
    expect(problem.additionalProperties).toBe(true);
  });

  it('offers downloads as CSV and XLSX binaries and streams as NDJSON', () => {
    const paths = document.paths as Record<string, Record<string, Operation>>;
    const ledger = paths['/api/v1/ledgers/{name}'].get.responses!['200'].content!;
    expect(ledger['text/csv'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(ledger['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'].schema).toEqual({
      type: 'string',
      format: 'binary',
    });
    expect(paths['/api/v1/audit/export'].get.responses!['200'].content!['application/x-ndjson']).toBeDefined();
  });

  it('has no $ref that points nowhere', () => {
    expect(danglingRefs(document)).toEqual([]);
  });

  it('passes `redocly lint` (recommended rules) with no error, offline', () => {
    const dir = tempDir('duban-openapi-');
    try {
      const file = join(dir.path, 'openapi.json');
      writeFileSync(file, JSON.stringify(document));
      const lint = spawnSync(
        join(ROOT, 'node_modules/.bin/redocly'),
        ['lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'json'],
        {
          cwd: ROOT,
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );
      const report = JSON.parse(lint.stdout) as {
        problems: { severity: string; ruleId: string; message: string; location: { pointer: string }[] }[];
      };
      const errors = report.problems
        .filter((p) => p.severity === 'error')
        .map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
      expect(errors).toEqual([]);
      expect(lint.status).toBe(0);
    } finally {
      dir.remove();
    }
  });
});
