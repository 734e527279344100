import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import type { Response } from 'superagent';
import { EVENT_STORE, type EventStore } from '@duban/event-store';
import { startTestApi, TestApi } from './support/api';
import { createUnit, future, issueBody } from './support/fixtures';

const NAME = '王小明';
const PHONE = '13912345678';
const ID_NUMBER = '110101199003071234';
const CONTACT = '幸福路88号';

/** A text as it may sit in bytes: UTF-8, and JSON-escaped (\uXXXX, either case) as JSON.stringify or a client may write it. */
function forms(text: string): Buffer[] {
  const escaped = [...text].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  return [text, escaped, escaped.toUpperCase().replace(/\\U/g, '\\u')].map((t) => Buffer.from(t, 'utf8'));
}

/** Every form of every personal field found in `bytes`, as `field:form#` (empty: none). */
function personalDataIn(bytes: Buffer): string[] {
  const found: string[] = [];
  for (const [field, value] of Object.entries({ NAME, PHONE, ID_NUMBER, CONTACT }))
    forms(value).forEach((form, i) => bytes.includes(form) && found.push(`${field}:form${i}`));
  return found;
}

/** supertest parser that keeps NDJSON and CSV as text (the body) */
function textParser(response: Response, done: (err: Error | null, body: string) => void): void {
  const res = response as unknown as IncomingMessage;
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => done(null, text));
}

describe('personal data (PIPL): sealed before the log, revealed to whom may see it, erased by crypto-shredding', () => {
  let api: TestApi;
  let unitId: string;

  beforeAll(async () => {
    api = await startTestApi();
    unitId = await createUnit(api, 'PD-A', '某街道办事处');
  });
  afterAll(() => api?.close());

  async function register(reporter: Record<string, unknown>, overrides: Record<string, unknown> = {}) {
    const res = await api
      .as('registrar')
      .post('/api/v1/issues')
      .send(issueBody({ reporter, ...overrides }));
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    await api
      .as('registrar')
      .post(`/api/v1/issues/${id}/assign`)
      .send({ leadUnitId: unitId, responsiblePerson: { name: '王五' }, deadline: future(10), mode: 'counterpart' })
      .expect(200);
    return id;
  }
  const reporterOf = async (role: 'registrar' | 'unit_officer' | 'admin' | 'auditor', id: string) =>
    (await api.as(role, unitId).get(`/api/v1/issues/${id}`).expect(200)).body.reporter;

  it("举报人保护: a hotline reporter is confidential by default; the lead unit's officer never sees them, the registrar does and the look is recorded", async () => {
    const id = await register({ name: NAME, phone: PHONE, idNumber: ID_NUMBER, contact: CONTACT });
    expect(await reporterOf('unit_officer', id)).toEqual({ confidential: true });
    const history = await api.as('unit_officer', unitId).get(`/api/v1/issues/${id}/history`).expect(200);
    expect(history.body.events[0].data.reporter).toEqual({ confidential: true });
    const ledger = await api.as('unit_officer', unitId).get(`/api/v1/ledgers/problems?unitId=${unitId}`).expect(200);
    expect(ledger.body.items.find((r: { id: string }) => r.id === id).reporter).toBe('(保密 confidential)');
    // the officer's reads were not looks at the identity: nothing recorded yet
    const none = await api.as('auditor').get(`/api/v1/audit/personal-data-access?issueId=${id}`).expect(200);
    expect(none.body.items).toEqual([]);

    expect(await reporterOf('registrar', id)).toEqual({
      reporterId: expect.any(String),
      name: NAME,
      phone: PHONE,
      idNumber: ID_NUMBER,
      contact: CONTACT,
      confidential: true,
    });
    const looks = await api.as('auditor').get(`/api/v1/audit/personal-data-access?issueId=${id}`).expect(200);
    expect(looks.body.items).toEqual([
      expect.objectContaining({ actorRole: 'registrar', issueId: id, purpose: 'issue', at: expect.any(String) }),
    ]);
    await api.as('unit_officer', unitId).get(`/api/v1/audit/personal-data-access?issueId=${id}`).expect(403);
    await api.as('registrar').get(`/api/v1/audit/personal-data-access`).expect(403);
  });

  it('a reporter of an inspection is not confidential unless said so; the lead unit sees them and nothing is recorded', async () => {
    const id = await register({ name: '赵六', phone: '13700000000' }, { source: 'inspection' });
    expect(await reporterOf('unit_officer', id)).toMatchObject({ name: '赵六', confidential: false });
    const looks = await api.as('auditor').get(`/api/v1/audit/personal-data-access?issueId=${id}`).expect(200);
    expect(looks.body.items).toEqual([]);
  });

  it('the log and the read model hold ciphertext only: the events name no one', async () => {
    const id = await register({ name: NAME, phone: PHONE });
    const stream = await api.as('admin').get(`/api/v1/audit/streams/issue-${id}`).expect(200);
    const registered = stream.body.events[0].data.reporter;
    expect(registered).toMatchObject({ confidential: true, reporterId: expect.any(String) });
    expect(registered.sealed).toMatchObject({ alg: 'AES-256-GCM', keyId: expect.any(String) });
    expect(personalDataIn(Buffer.from(JSON.stringify(stream.body.events)))).toEqual([]);
  });

  it('erasure: the key is shredded, ReporterErased recorded, the reporter reads {erased: true} everywhere, verify passes and no byte names them', async () => {
    const id = await register({ name: NAME, phone: PHONE, idNumber: ID_NUMBER, contact: CONTACT });
    expect(await reporterOf('registrar', id)).toMatchObject({ name: NAME });
    await api.as('registrar').post('/api/v1/admin/personal-data/erase').send({ issueId: id, reason: 'r' }).expect(403);
    const erased = await api
      .as('admin')
      .post('/api/v1/admin/personal-data/erase')
      .send({ issueId: id, reason: '本人申请删除 (PIPL art. 47)' })
      .expect(200);
    expect(erased.body).toMatchObject({ issueId: id, reporterId: expect.any(String), keyId: expect.any(String) });

    const shown = { confidential: true, erased: true };
    expect(await reporterOf('registrar', id)).toEqual(shown);
    expect(await reporterOf('admin', id)).toEqual(shown);
    const history = await api.as('admin').get(`/api/v1/issues/${id}/history`).expect(200);
    expect(history.body.events[0].data.reporter).toEqual(shown);
    const last = history.body.events[history.body.events.length - 1];
    expect(last).toMatchObject({
      type: 'ReporterErased',
      actor: { role: 'admin' },
      data: { reporterId: erased.body.reporterId, keyId: erased.body.keyId, reason: '本人申请删除 (PIPL art. 47)' },
    });
    // as it stood before the erasure: still erased (the key is gone, not only the state)
    const before = history.body.events[0].recordedAt;
    const asOf = await api
      .as('admin')
      .get(`/api/v1/issues/${id}?asOf=${encodeURIComponent(before)}`)
      .expect(200);
    expect(asOf.body.reporter).toEqual(shown);
    const replay = await api
      .as('admin')
      .get(`/api/v1/audit/streams/issue-${id}?asOf=${encodeURIComponent(before)}`)
      .expect(200);
    expect(replay.body.state.reporter).toEqual(shown);
    const ledger = await api
      .as('registrar')
      .get(`/api/v1/ledgers/problems?minPosition=${erased.body.position}`)
      .expect(200);
    expect(ledger.body.items.find((r: { id: string }) => r.id === id).reporter).toBe('(已删除 erased)');
    const csv = await api
      .as('registrar')
      .get(`/api/v1/ledgers/problems.csv?lang=en`)
      .buffer(true)
      .parse(textParser)
      .expect(200);
    expect(csv.body as string).toContain('(personal data erased)');

    // once is enough: a second erasure is refused, by issue or by reporter
    await api.as('admin').post('/api/v1/admin/personal-data/erase').send({ issueId: id, reason: 'again' }).expect(409);
    await api
      .as('admin')
      .post('/api/v1/admin/personal-data/erase')
      .send({ reporterId: erased.body.reporterId, reason: 'again' })
      .expect(409);

    const verified = (await api.as('auditor').get('/api/v1/audit/verify').buffer(true).parse(textParser).expect(200))
      .body as string;
    const result = JSON.parse(verified.trim().split('\n').pop()!).result;
    expect(result).toMatchObject({ ok: true, breaks: [] });

    // the bytes: the event store (with its -wal), the read models, the key table, and a fresh export
    const exported = await api.as('auditor').get('/api/v1/audit/export').buffer(true).parse(textParser).expect(200);
    expect(exported.body as string).toContain('"ReporterErased"');
    expect(personalDataIn(Buffer.from(exported.body as string, 'utf8'))).toEqual([]);
    const files = readdirSync(api.config.dataDir, { recursive: true, withFileTypes: true })
      .filter((f) => f.isFile() && /\.sqlite(-wal|-shm|-journal)?$/.test(f.name))
      .map((f) => join(f.parentPath, f.name));
    expect(files.some((f) => f.endsWith('events.sqlite'))).toBe(true);
    expect(files.some((f) => /readmodel/.test(f))).toBe(true);
    expect(files.some((f) => f.endsWith('personal-data.sqlite'))).toBe(true);
    for (const file of files) expect({ file, found: personalDataIn(readFileSync(file)) }).toEqual({ file, found: [] });
  });

  it('erasure by reporterId; without either, with both, or for someone unknown it is refused', async () => {
    const id = await register({ name: '钱七', phone: '13600000000' });
    const { reporterId } = await reporterOf('registrar', id);
    const erase = (body: object) => api.as('admin').post('/api/v1/admin/personal-data/erase').send(body);
    await erase({ reason: 'r' }).expect(400);
    await erase({ issueId: id, reporterId, reason: 'r' }).expect(400);
    await erase({ issueId: id }).expect(400);
    await erase({ reporterId: randomUUID(), reason: 'r' }).expect(404);
    await erase({ issueId: randomUUID(), reason: 'r' }).expect(404);
    await erase({ reporterId, reason: 'r' }).expect(200);
    expect(await reporterOf('registrar', id)).toEqual({ confidential: true, erased: true });
  });

  it('a reporter recorded in clear by an earlier version still replays; erasing them is refused with 409 saying why', async () => {
    const store = api.app.get<EventStore>(EVENT_STORE);
    const id = randomUUID();
    const at = new Date().toISOString();
    await store.append(
      `issue-${id}`,
      [
        {
          type: 'IssueRegistered',
          data: {
            issueId: id,
            at,
            by: 'legacy-registrar',
            source: 'petition',
            category: '作风建设',
            title: '旧版本登记的问题',
            description: '旧版本明文记录的反映人',
            location: null,
            reporter: { name: '老张', phone: '13500000000', confidential: true },
            attachments: [],
          },
          metadata: { actor: { id: 'legacy-registrar', role: 'registrar' }, correlationId: randomUUID() },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    expect(await reporterOf('registrar', id)).toEqual({ name: '老张', phone: '13500000000', confidential: true });
    const looks = await api.as('auditor').get(`/api/v1/audit/personal-data-access?issueId=${id}`).expect(200);
    expect(looks.body.items).toEqual([expect.objectContaining({ issueId: id, reporterId: null })]);
    const refused = await api
      .as('admin')
      .post('/api/v1/admin/personal-data/erase')
      .send({ issueId: id, reason: 'PIPL' })
      .expect(409);
    expect(refused.body.detail).toMatch(/recorded in clear by an earlier version/);
  });
});
