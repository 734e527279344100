import Database from 'better-sqlite3';
import type { IncomingMessage } from 'node:http';
import type { Response } from 'superagent';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EVENT_STORE, EventStore, eventUpcasters, SqliteEventStore } from '@duban/event-store';
import { ReadModelService } from '../apps/api/src/read-model/read-model.service';
import { startTestApi, TestApi } from './support/api';
import { assignedIssue, createUnit, registerIssue } from './support/fixtures';
import type { TestRole } from './support/tokens';

const READ_ROLES: TestRole[] = ['auditor', 'admin'];
const OTHER_ROLES: TestRole[] = ['registrar', 'assessor', 'unit_officer', 'supervisor'];

/**
 * Every table of a read-model file, row by row (what "byte-identical read models" compares). The
 * full-text index's shadow tables are left out: FTS5 lays out its segments by write batch, so they
 * differ between a live file and a replayed one even though the index (issues_fts) holds the same rows.
 */
function dumpReadModel(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { name: string }[]
    )
      .map((t) => t.name)
      .filter((name) => !/_fts_(data|idx|docsize|config|content)$/.test(name));
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY 1, 2`).all()]));
  } finally {
    db.close();
  }
}

/** NDJSON answers come as text: one parsed object per line. */
const ndjson = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('audit and replay over HTTP', () => {
  let api: TestApi;
  let unitId: string;
  let issueId: string;
  let confidentialId: string;

  beforeAll(async () => {
    api = await startTestApi();
    unitId = await createUnit(api, 'AU');
    issueId = await assignedIssue(api, unitId);
    confidentialId = await registerIssue(api);
    await api
      .as('unit_officer', unitId)
      .post(`/api/v1/issues/${issueId}/progress`)
      .send({ text: '已完成一半', percent: 50 })
      .expect(200);
  });
  afterAll(async () => api.close());

  describe('roles: auditors and admins read, nobody else; auditors never write', () => {
    const reads = () => [
      '/api/v1/audit/events',
      `/api/v1/audit/streams/issue-${issueId}`,
      '/api/v1/audit/verify',
      '/api/v1/audit/digests',
      '/api/v1/audit/public-key',
      '/api/v1/audit/export',
    ];

    it.each(READ_ROLES)('%s reads every audit endpoint', async (role) => {
      for (const url of reads()) await api.as(role).get(url).expect(200);
    });

    it.each(OTHER_ROLES)('%s gets 403 on every audit endpoint', async (role) => {
      for (const url of reads())
        await api
          .as(role, role === 'unit_officer' ? unitId : undefined)
          .get(url)
          .expect(403);
    });

    it('answers 401 without a token', async () => {
      for (const url of reads()) await api.http.get(url).expect(401);
    });

    it('refuses the auditor every write endpoint the API has (403 before any validation)', async () => {
      const router = (
        api.app.getHttpAdapter().getInstance() as {
          router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] };
        }
      ).router;
      const writes = router.stack
        .filter(
          (layer) =>
            layer.route && Object.keys(layer.route.methods).some((m) => ['post', 'put', 'patch', 'delete'].includes(m)),
        )
        .map((layer) => ({
          path: layer.route!.path.replace(/:[A-Za-z]+/g, randomUUID()),
          methods: Object.keys(layer.route!.methods),
        }));
      expect(writes.map((w) => w.path)).toEqual(
        expect.arrayContaining([
          '/api/v1/issues',
          '/api/v1/units',
          '/api/v1/admin/import',
          '/api/v1/audit/digests',
          '/api/v1/admin/projections/rebuild',
        ]),
      );
      expect(writes.length).toBeGreaterThan(20);
      const bearer = `Bearer ${api.token('auditor')}`;
      for (const { path, methods } of writes) {
        for (const method of methods.filter((m) => ['post', 'put', 'patch', 'delete'].includes(m))) {
          const res = await api.http[method as 'post' | 'put' | 'patch' | 'delete'](path)
            .set('Authorization', bearer)
            .send({});
          expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
        }
      }
    });
  });

  describe('GET /audit/events', () => {
    it('pages through the global log in commit order with whole envelopes', async () => {
      const first = await api.as('auditor').get('/api/v1/audit/events?limit=2').expect(200);
      expect(first.body.events.map((e: { position: number }) => e.position)).toEqual([1, 2]);
      expect(first.body.nextPosition).toBe(2);
      expect(first.body.events[0]).toMatchObject({
        streamId: `unit-${unitId}`,
        revision: 0,
        type: 'UnitCreated',
        metadata: { prevHash: '0'.repeat(64), hash: expect.stringMatching(/^[0-9a-f]{64}$/), actor: { role: 'admin' } },
      });
      const rest = await api.as('auditor').get('/api/v1/audit/events?fromPosition=2&limit=1000').expect(200);
      expect(rest.body.nextPosition).toBeNull();
      expect(rest.body.events[0].position).toBe(3);
    });

    it('withholds a confidential reporter from the auditor, not from the admin', async () => {
      const find = (events: { streamId: string; data: { reporter?: unknown } }[]) =>
        events.find((e) => e.streamId === `issue-${confidentialId}`)!;
      const auditor = find((await api.as('auditor').get('/api/v1/audit/events?limit=1000').expect(200)).body.events);
      expect(auditor.data.reporter).toEqual({ confidential: true });
      expect(auditor).toMatchObject({ redacted: ['data.reporter'] });
      const admin = find((await api.as('admin').get('/api/v1/audit/events?limit=1000').expect(200)).body.events);
      // the stored form: the reporter is sealed in the log (PIPL); the issue view reveals it to the admin
      expect(admin.data.reporter).toMatchObject({ confidential: true, sealed: { alg: 'AES-256-GCM' } });
      expect(JSON.stringify(admin.data)).not.toContain('李四');
    });

    it.each([['fromPosition=-1'], ['fromPosition=abc'], ['limit=0'], ['limit=1001'], ['limit=1.5'], ['unknown=1']])(
      'answers 400 naming the field for %s',
      async (query) => {
        const res = await api.as('auditor').get(`/api/v1/audit/events?${query}`).expect(400);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
        expect(res.body.errors[0].field).toBe(query.split('=')[0]);
      },
    );
  });

  describe('GET /audit/streams/:streamId and histories', () => {
    it('replays an issue as it stood at an instant, and now', async () => {
      const now = await api.as('auditor').get(`/api/v1/audit/streams/issue-${issueId}`).expect(200);
      expect(now.body.state).toMatchObject({ id: issueId, status: 'in_progress', leadUnitId: unitId });
      expect(now.body.events.map((e: { type: string }) => e.type)).toEqual([
        'IssueRegistered',
        'IssueAssigned',
        'ProgressReported',
      ]);
      const assignedAt = now.body.events[1].metadata.recordedAt;
      const then = await api
        .as('auditor')
        .get(`/api/v1/audit/streams/issue-${issueId}?asOf=${encodeURIComponent(assignedAt)}`)
        .expect(200);
      expect(then.body).toMatchObject({ revision: 1, asOf: assignedAt, state: { status: 'assigned' } });
      await api.as('auditor').get(`/api/v1/audit/streams/issue-${issueId}?asOf=2000-01-01T00:00:00Z`).expect(404);
    });

    it('replays a unit, and answers its history', async () => {
      const res = await api
        .as('admin')
        .get(`/api/v1/audit/streams/unit-${unitId}?asOf=${encodeURIComponent(new Date().toISOString())}`)
        .expect(200);
      expect(res.body.state).toMatchObject({ id: unitId, code: 'AU' });
      for (const role of ['auditor', 'registrar', 'assessor'] as const) {
        const history = await api.as(role).get(`/api/v1/units/${unitId}/history`).expect(200);
        expect(history.body.events).toEqual([
          expect.objectContaining({
            type: 'UnitCreated',
            revision: 0,
            actor: expect.objectContaining({ role: 'admin' }),
          }),
        ]);
      }
      await api.as('auditor').get(`/api/v1/units/${unitId}/history?asOf=2000-01-01T00:00:00Z`).expect(404);
      await api.as('auditor').get(`/api/v1/units/${unitId}?asOf=2000-01-01T00:00:00Z`).expect(404);
      expect(
        (
          await api
            .as('auditor')
            .get(`/api/v1/units/${unitId}?asOf=${encodeURIComponent(new Date().toISOString())}`)
            .expect(200)
        ).body,
      ).toMatchObject({ id: unitId, code: 'AU', revision: 0 });
      await api.as('auditor').get(`/api/v1/units/${unitId}?asOf=soon`).expect(400);
      await api.as('auditor').get(`/api/v1/units/${randomUUID()}/history`).expect(404);
      await api.as('auditor').get('/api/v1/units/not-a-uuid/history').expect(404);
    });

    it('upcasts old event versions on read (the stored form stays as written)', async () => {
      eventUpcasters.register('AuditProbeNoted', 1, (data: { text: string }) => ({ note: data.text, upcast: true }));
      const store = api.app.get<EventStore>(EVENT_STORE);
      await store.append(
        'probe-1',
        [
          {
            type: 'AuditProbeNoted',
            data: { text: 'old shape' },
            metadata: { actor: { id: 't', role: 'system' }, correlationId: 'c', schemaVersion: 1 },
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      const res = await api.as('auditor').get('/api/v1/audit/streams/probe-1').expect(200);
      expect(res.body.state).toBeNull();
      expect(res.body.events[0]).toMatchObject({
        data: { note: 'old shape', upcast: true },
        metadata: { schemaVersion: 2 },
      });
      const stored = (await api.as('auditor').get('/api/v1/audit/events?limit=1000').expect(200)).body.events.find(
        (e: { streamId: string }) => e.streamId === 'probe-1',
      );
      expect(stored).toMatchObject({ data: { text: 'old shape' }, metadata: { schemaVersion: 1 } });
    });

    it.each([
      ['a missing stream', '/api/v1/audit/streams/issue-00000000-0000-4000-8000-000000000000', 404],
      ['a stream id with "$"', '/api/v1/audit/streams/%24all', 400],
      ['a stream id with a space', '/api/v1/audit/streams/a%20b', 400],
      ['a too long stream id', `/api/v1/audit/streams/${'x'.repeat(201)}`, 400],
      ['a bad asOf', '/api/v1/audit/streams/audit?asOf=yesterday', 400],
    ])('answers %s with %i', async (_name, url, status) => {
      const res = await api.as('auditor').get(url).expect(status);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    });
  });

  describe('digests, verification and the public key', () => {
    it('appends a digest on demand (registrars and admins), lists it, and verifies the log', async () => {
      await api.as('auditor').post('/api/v1/audit/digests').send({}).expect(403);
      await api.as('assessor').post('/api/v1/audit/digests').send({}).expect(403);
      const made = await api.as('registrar').post('/api/v1/audit/digests').send({}).expect(201);
      expect(made.body.digest).toMatchObject({
        position: expect.any(Number),
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
        signature: expect.any(String),
      });
      expect((await api.as('admin').post('/api/v1/audit/digests').send({}).expect(200)).body.digest).toBeNull();

      const key = await api.as('auditor').get('/api/v1/audit/public-key').expect(200);
      expect(key.body).toMatchObject({
        algorithm: 'Ed25519',
        keyId: made.body.digest.keyId,
        publicKeyPem: expect.stringContaining('BEGIN PUBLIC KEY'),
      });
      const list = await api.as('auditor').get('/api/v1/audit/digests').expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({ position: made.body.digest.position, signatureCheck: 'valid' }),
      ]);

      const verified = ndjson(
        (await api.as('auditor').get('/api/v1/audit/verify').buffer(true).parse(textParser).expect(200)).text,
      );
      expect(verified[0]).toHaveProperty('progress');
      const result = verified[verified.length - 1].result;
      expect(result).toMatchObject({ ok: true, breaks: [], digests: { matched: 1, failed: 0 } });

      const against = JSON.stringify(list.body.items[0]);
      const again = ndjson(
        (
          await api
            .as('auditor')
            .get(`/api/v1/audit/verify?against=${encodeURIComponent(against)}`)
            .buffer(true)
            .parse(textParser)
            .expect(200)
        ).text,
      );
      expect(again[again.length - 1].result).toMatchObject({ ok: true, digests: { matched: 2 } });
    });

    it.each([['not a digest'], ['12:abc'], ['{"position":-1,"digest":"x"}']])(
      'answers 400 naming "against" for %s',
      async (against) => {
        const res = await api
          .as('auditor')
          .get(`/api/v1/audit/verify?against=${encodeURIComponent(against)}`)
          .expect(400);
        expect(JSON.stringify(res.body)).toMatch(/against/);
      },
    );
  });

  describe('export and import', () => {
    // the log to carry holds every aggregate: units renamed and given contacts, an appraisal campaign
    // with an evaluator, anonymous ballots in a closed round, and its publication
    beforeAll(async () => {
      const second = await createUnit(api, 'AU2');
      await api.as('admin').post(`/api/v1/units/${second}/rename`).send({ name: '审计二局' }).expect(200);
      await api.as('admin').post(`/api/v1/units/${second}/contacts`).send({ email: 'au2@example.gov.cn' }).expect(200);
      const registrar = api.as('registrar');
      const campaign = (
        await registrar
          .post('/api/v1/appraisals')
          .send({
            name: '民主评议',
            year: 2026,
            unitIds: [unitId, second],
            criteria: [{ key: 'attitude', name: '服务态度', weight: 1 }],
            scale: { min: 0, max: 100 },
            groups: [{ key: 'public', name: '群众', weight: 1 }],
            rounds: [{ key: 'r1', name: '一轮' }],
            bottomN: 1,
          })
          .expect(201)
      ).body.id;
      await registrar
        .post(`/api/v1/appraisals/${campaign}/evaluators`)
        .send({ group: 'public', name: '张监督', userId: 'sup-1' })
        .expect(201);
      const { tokens } = (
        await registrar
          .post(`/api/v1/appraisals/${campaign}/ballot-tokens`)
          .send({ group: 'public', count: 2 })
          .expect(201)
      ).body;
      await registrar.post(`/api/v1/appraisals/${campaign}/rounds/r1/open`).send({}).expect(200);
      for (const [i, token] of (tokens as string[]).entries())
        for (const [score, unit] of [
          [90 - i, unitId],
          [40 + i, second],
        ] as const)
          await api.http
            .post(`/api/v1/appraisals/${campaign}/ballots`)
            .send({ token, round: 'r1', unitId: unit, scores: { attitude: score } })
            .expect(201);
      await registrar.post(`/api/v1/appraisals/${campaign}/rounds/r1/close`).send({}).expect(200);
      await registrar.post(`/api/v1/appraisals/${campaign}/publish`).send({}).expect(200);
      // a signed digest over all of it, so the import's verification has one to match (whatever ran before)
      await registrar.post('/api/v1/audit/digests').send({}).expect(201);
    });

    it('exports NDJSON that an empty deployment imports into the same log and byte-identical read models, appraisals, ballots and units included', async () => {
      const exported = await api.as('auditor').get('/api/v1/audit/export').buffer(true).parse(textParser).expect(200);
      expect(exported.headers['content-type']).toMatch(/application\/x-ndjson/);
      const lines = ndjson(exported.text);
      expect(lines[0]).toMatchObject({ format: 'duban-log', version: 1 });
      expect(lines[lines.length - 1].digest).toMatchObject({ signature: expect.any(String) });

      const target = await startTestApi();
      try {
        await target
          .as('auditor')
          .post('/api/v1/admin/import')
          .set('Content-Type', 'application/x-ndjson')
          .send(exported.text)
          .expect(403);
        await target
          .as('admin')
          .post('/api/v1/admin/import')
          .set('Content-Type', 'text/plain')
          .send(exported.text)
          .expect(415);
        const imported = await target
          .as('admin')
          .post('/api/v1/admin/import')
          .set('Content-Type', 'application/x-ndjson')
          .send(exported.text)
          .expect(200);
        expect(imported.body).toMatchObject({
          events: lines.length - 2,
          signed: true,
          digest: lines[lines.length - 1].digest.digest,
        });
        const rows = (t: TestApi) =>
          (t.app.get(EVENT_STORE) as SqliteEventStore).database.prepare('SELECT * FROM events ORDER BY position').all();
        expect(rows(target)).toEqual(rows(api));

        // the read model follows the imported log to the same tables
        const sourceModel = api.app.get(ReadModelService);
        const targetModel = target.app.get(ReadModelService);
        expect(await targetModel.runner.waitFor(imported.body.position, 10_000)).toBe(true);
        expect(await sourceModel.runner.waitFor(imported.body.position, 10_000)).toBe(true);
        const sourceTables = dumpReadModel(join(api.config.dataDir, 'readmodel-api.sqlite'));
        expect(dumpReadModel(join(target.config.dataDir, 'readmodel-api.sqlite'))).toEqual(sourceTables);
        // the comparison covers what the log holds: campaigns, their ballots and both units
        expect(sourceTables.appraisal_campaigns).toHaveLength(1);
        expect(sourceTables.appraisal_ballots).toHaveLength(4);
        expect(sourceTables.units.length).toBeGreaterThanOrEqual(2);
        const types = new Set(lines.map((l: { type?: string }) => l.type));
        for (const type of ['UnitRenamed', 'BallotCast', 'RoundClosed', 'EvaluatorRegistered', 'ResultsPublished'])
          expect(types).toContain(type);

        // the imported digests verify there, with the exporting deployment's key now trusted
        const verified = ndjson(
          (await target.as('auditor').get('/api/v1/audit/verify').buffer(true).parse(textParser).expect(200)).text,
        );
        const { result } = verified[verified.length - 1];
        expect(result).toMatchObject({ ok: true, digests: { failed: 0 } });
        expect(result.digests.matched).toBeGreaterThanOrEqual(1);

        // a second import meets a store that holds events
        await target
          .as('admin')
          .post('/api/v1/admin/import')
          .set('Content-Type', 'application/x-ndjson')
          .send(exported.text)
          .expect(409);
      } finally {
        await target.close();
      }
    });

    it.each([
      ['garbage', 'not json at all\n', /line 1: not JSON/],
      [
        'a header only',
        '{"format":"duban-log","version":1,"exportedAt":"x","headPosition":0,"publicKeys":[]}\n',
        /without its trailer/,
      ],
      ['an unknown format', '{"format":"other","version":1}\n', /line 1: the first line must be the header/],
      [
        'an event with a bad hash',
        '{"format":"duban-log","version":1,"exportedAt":"x","headPosition":1,"publicKeys":[]}\n{"position":1,"id":"x","streamId":"s","revision":0,"type":"T","data":{},"metadata":{},"prevHash":"' +
          '0'.repeat(64) +
          '","hash":"' +
          '1'.repeat(64) +
          '"}\n',
        /line 2: hash_mismatch/,
      ],
      [
        'an event missing fields',
        '{"format":"duban-log","version":1,"exportedAt":"x","headPosition":1,"publicKeys":[]}\n{"position":1}\n',
        /line 2: id must be a string/,
      ],
    ])('refuses %s with 400 naming the line, and stays empty', async (_name, body, message) => {
      const target = await startTestApi();
      try {
        const res = await target
          .as('admin')
          .post('/api/v1/admin/import')
          .set('Content-Type', 'application/x-ndjson')
          .send(body)
          .expect(400);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
        expect(JSON.stringify(res.body)).toMatch(message);
        expect(await target.app.get<EventStore>(EVENT_STORE).headPosition()).toBe(0);
        await target
          .as('registrar')
          .post('/api/v1/issues')
          .send({ source: 'hotline', category: 'c', title: 't', description: 'd' })
          .expect(201);
      } finally {
        await target.close();
      }
    });
  });
});

/** supertest parser that keeps NDJSON as text */
function textParser(response: Response, done: (err: Error | null, body: string) => void): void {
  // while parsing, superagent hands over the raw Node response
  const res = response as unknown as IncomingMessage & { text?: string };
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => {
    res.text = text;
    done(null, text);
  });
}
