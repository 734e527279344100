import Database from 'better-sqlite3';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { startTestApi, TestApi, TEST_SECRET } from './support/api';
import { startApiProcess } from './support/api-process';
import { issueBody } from './support/fixtures';
import { logHead } from './support/log-head';
import { tempDir } from './support/temp-dir';
import { signToken } from './support/tokens';

/** The answer was lost: the idempotency record is gone, as after a timeout whose answer never reached the client. */
function forgetIdempotencyRecords(dataDir: string): void {
  const db = new Database(join(dataDir, 'idempotency.sqlite'));
  try {
    expect(db.prepare('DELETE FROM idempotency_keys').run().changes).toBeGreaterThan(0);
  } finally {
    db.close();
  }
}

/** The first attempt committed and then its process died before storing the answer (a pending, abandoned key). */
function abandonIdempotencyRecords(dataDir: string): void {
  const db = new Database(join(dataDir, 'idempotency.sqlite'));
  try {
    const changed = db.prepare('UPDATE idempotency_keys SET status = NULL, response = NULL, created_at = 0').run();
    expect(changed.changes).toBeGreaterThan(0);
  } finally {
    db.close();
  }
}

const bearer = (role: 'registrar' | 'admin', sub: string) => `Bearer ${signToken(TEST_SECRET, { roles: [role], sub })}`;

describe('a retried request whose answer was lost appends nothing', () => {
  const data = tempDir('duban-idem-');
  // one queue prefix for every process on this DATA_DIR, as in a deployment
  const env = { DATA_DIR: data.path, QUEUE_PREFIX: `t-idem-${randomBytes(4).toString('hex')}` };
  let api: TestApi;

  afterAll(async () => {
    await api?.close();
    data.remove();
  });

  it('across an API restart on the same DATA_DIR: the retried commands answer the same ids and the log head does not move', async () => {
    // the first life is a child process, so its shutdown is a real process exit
    const firstLife = await startApiProcess(env);
    const registrar = bearer('registrar', 'reg-restart');
    let first: request.Response;
    let triaged: request.Response;
    try {
      first = await request(firstLife.url)
        .post('/api/v1/issues')
        .set('Authorization', registrar)
        .set('Idempotency-Key', 'restart-1')
        .send(issueBody())
        .expect(201);
      triaged = await request(firstLife.url)
        .post(`/api/v1/issues/${first.body.id}/triage`)
        .set('Authorization', registrar)
        .set('Idempotency-Key', 'restart-2')
        .send({ priority: 'high' })
        .expect(200);
    } finally {
      await firstLife.stop();
    }
    forgetIdempotencyRecords(data.path);
    api = await startTestApi(env);
    const head = await logHead(api);

    const again = await api.http
      .post('/api/v1/issues')
      .set('Authorization', registrar)
      .set('Idempotency-Key', 'restart-1')
      .send(issueBody())
      .expect(201);
    const triagedAgain = await api.http
      .post(`/api/v1/issues/${first.body.id}/triage`)
      .set('Authorization', registrar)
      .set('Idempotency-Key', 'restart-2')
      .send({ priority: 'high' })
      .expect(200);

    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(again.body).toEqual(first.body);
    expect(triagedAgain.body).toEqual(triaged.body);
    expect(await logHead(api)).toBe(head);
    const history = await api.as('auditor').get(`/api/v1/issues/${first.body.id}/history`).expect(200);
    expect(history.body.events.map((e: { type: string }) => e.type)).toEqual(['IssueRegistered', 'IssueTriaged']);
  });

  it('across two API processes on one DATA_DIR: a crashed first attempt retried on the other process appends nothing', async () => {
    const second = await startApiProcess(env);
    try {
      const admin = bearer('admin', 'admin-two-processes');
      const first = await api.http
        .post('/api/v1/units')
        .set('Authorization', admin)
        .set('Idempotency-Key', 'two-proc-unit')
        .send({ code: 'IDEM-2P', name: '两进程单位' })
        .expect(201);
      const registered = await api.http
        .post('/api/v1/issues')
        .set('Authorization', bearer('registrar', 'reg-two-processes'))
        .set('Idempotency-Key', 'two-proc-issue')
        .send(issueBody())
        .expect(201);
      abandonIdempotencyRecords(data.path);
      const head = await logHead(api);

      const other = request(second.url);
      const unitAgain = await other
        .post('/api/v1/units')
        .set('Authorization', admin)
        .set('Idempotency-Key', 'two-proc-unit')
        .send({ code: 'IDEM-2P', name: '两进程单位' });
      const issueAgain = await other
        .post('/api/v1/issues')
        .set('Authorization', bearer('registrar', 'reg-two-processes'))
        .set('Idempotency-Key', 'two-proc-issue')
        .send(issueBody());

      expect({ status: unitAgain.status, body: unitAgain.body }).toEqual({ status: 201, body: first.body });
      expect({ status: issueAgain.status, body: issueAgain.body }).toEqual({ status: 201, body: registered.body });
      expect(await logHead(api)).toBe(head);
    } finally {
      await second.stop();
    }
  });

  it('two callers with the same key and body do not collide: each registers its own issue', async () => {
    const head = await logHead(api);
    const send = (sub: string) =>
      api.http
        .post('/api/v1/issues')
        .set('Authorization', bearer('registrar', sub))
        .set('Idempotency-Key', 'shared-key')
        .send(issueBody())
        .expect(201);
    const [a, b] = [await send('reg-alice'), await send('reg-bob')];
    expect(a.body.id).not.toBe(b.body.id);
    expect(await logHead(api)).toBe(head + 2);
  });
});
