import pino from 'pino';
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { loadConfig } from '@duban/config';
import { createApp } from '../apps/api/src/create-app';
import { startTestApi, TEST_SECRET, TestApi } from './support/api';
import { tempDir } from './support/temp-dir';
import { signToken } from './support/tokens';

const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/;
const now = () => Math.floor(Date.now() / 1000);
const admin = (claims: Record<string, unknown>, options: object = {}) =>
  sign({ sub: 'a-1', roles: ['admin'], ...claims }, TEST_SECRET, { algorithm: 'HS256', ...options });

describe('bearer tokens: expiry, lifetime, issuer and audience', () => {
  let api: TestApi;
  beforeAll(async () => (api = await startTestApi({ AUTH_TOKEN_MAX_LIFETIME: 'PT8H' })));
  afterAll(async () => api.close());
  const status = async (token: string) =>
    (await api.http.get('/api/v1/units').set('Authorization', `Bearer ${token}`)).status;

  it('accepts a token that expires within the configured lifetime', async () => {
    expect(await status(admin({}, { expiresIn: '1h' }))).toBe(200);
  });

  it('refuses a token without exp (401), even one signed with the right secret', async () => {
    const res = await api.http.get('/api/v1/units').set('Authorization', `Bearer ${admin({})}`);
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/no "exp" claim/);
  });

  it('refuses a token whose exp - iat exceeds AUTH_TOKEN_MAX_LIFETIME (401)', async () => {
    const iat = now() - 3600;
    expect(await status(admin({ iat, exp: iat + 9 * 3600 }))).toBe(401);
  });

  it('refuses a token without iat whose exp is further away than AUTH_TOKEN_MAX_LIFETIME (401)', async () => {
    const res = await api.http
      .get('/api/v1/units')
      .set('Authorization', `Bearer ${admin({ exp: now() + 9 * 3600 }, { noTimestamp: true })}`);
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/AUTH_TOKEN_MAX_LIFETIME=PT8H/);
  });

  it('the queue board applies the same checks: a token without exp cannot get a code', async () => {
    await api.http
      .post('/admin/queues/session')
      .set('Authorization', `Bearer ${admin({})}`)
      .expect(401);
  });
});

describe('bearer tokens with AUTH_ISSUER and AUTH_AUDIENCE configured', () => {
  let api: TestApi;
  beforeAll(async () => (api = await startTestApi({ AUTH_ISSUER: 'https://idp.example.gov', AUTH_AUDIENCE: 'duban' })));
  afterAll(async () => api.close());
  const status = async (options: object) =>
    (await api.http.get('/api/v1/units').set('Authorization', `Bearer ${admin({}, { expiresIn: '1h', ...options })}`))
      .status;

  it('accepts the configured issuer and audience', async () => {
    expect(await status({ issuer: 'https://idp.example.gov', audience: 'duban' })).toBe(200);
  });

  it.each([
    ['no issuer', { audience: 'duban' }],
    ['another issuer', { issuer: 'https://evil.example', audience: 'duban' }],
    ['no audience', { issuer: 'https://idp.example.gov' }],
    ['another audience', { issuer: 'https://idp.example.gov', audience: 'other-app' }],
  ])('refuses a token with %s (401)', async (_, options) => {
    expect(await status(options)).toBe(401);
  });
});

describe('the queue board: one-time codes instead of tokens in URLs', () => {
  let api: TestApi;
  beforeAll(async () => (api = await startTestApi()));
  afterAll(async () => api.close());
  const code = async () =>
    (
      await api.http
        .post('/admin/queues/session')
        .set('Authorization', `Bearer ${api.token('admin')}`)
        .expect(201)
    ).body as { code: string; expiresIn: number };

  it('an admin gets a short-lived code; it opens one HttpOnly, SameSite=Strict session scoped to the board', async () => {
    const { code: first, expiresIn } = await code();
    expect(expiresIn).toBeGreaterThan(0);
    expect(expiresIn).toBeLessThanOrEqual(300);
    const opened = await api.http.get(`/admin/queues?code=${first}`).expect(303);
    expect(opened.headers.location).toBe('/admin/queues');
    const cookie = opened.headers['set-cookie'][0] as string;
    expect(cookie).toMatch(/^duban_board=[A-Za-z0-9_-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/admin\/queues/);
    expect(cookie).not.toContain(first);
    expect(cookie).not.toMatch(JWT);
    const session = cookie.split(';')[0];
    const page = await api.http.get('/admin/queues').set('Cookie', session).expect(200);
    expect(page.text).toContain('Duban');
    const queues = await api.http.get('/admin/queues/api/queues').set('Cookie', session).expect(200);
    expect(queues.body.queues.length).toBeGreaterThan(0);
  });

  it('a code works once: the second use is refused', async () => {
    const { code: once } = await code();
    await api.http.get(`/admin/queues?code=${once}`).expect(303);
    const again = await api.http.get(`/admin/queues?code=${once}`).expect(401);
    expect(again.headers['content-type']).toMatch(/problem\+json/);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  it('two requests racing with one code: exactly one gets a session', async () => {
    const { code: raced } = await code();
    const answers = await Promise.all([1, 2, 3].map(() => api.http.get(`/admin/queues?code=${raced}`)));
    expect(answers.map((a) => a.status).sort()).toEqual([303, 401, 401]);
  });

  it('a non-admin cannot get a code (403), nobody without a token can (401), and made-up codes and cookies open nothing', async () => {
    for (const role of ['registrar', 'auditor', 'assessor'] as const)
      await api.http
        .post('/admin/queues/session')
        .set('Authorization', `Bearer ${api.token(role)}`)
        .expect(403);
    await api.http.post('/admin/queues/session').expect(401);
    await api.http.get(`/admin/queues?code=${randomBytes(24).toString('base64url')}`).expect(401);
    await api.http
      .get('/admin/queues')
      .set('Cookie', `duban_board=${randomBytes(32).toString('base64url')}`)
      .expect(401);
  });

  it('a token in the URL is no longer accepted, even an admin one', async () => {
    const res = await api.http.get(`/admin/queues?token=${api.token('admin')}`).expect(401);
    expect(res.body.detail).toMatch(/POST \/admin\/queues\/session/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('the request log', () => {
  it('holds no JWT, code or session: not from the URL, the Authorization or Cookie headers, nor set-cookie', async () => {
    const dir = tempDir('duban-log-');
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const config = loadConfig({
      NODE_ENV: 'test',
      DATA_DIR: dir.path,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      AUTH_JWT_SECRET: TEST_SECRET,
      QUEUE_PREFIX: `t-log-${randomBytes(4).toString('hex')}`,
    });
    const app = await createApp(config, logger);
    try {
      await app.listen(0, '127.0.0.1');
      const http = request(app.getHttpServer());
      const token = signToken(TEST_SECRET, { roles: ['admin'] });
      await http.get(`/admin/queues?token=${token}&x=1`).set('Cookie', `duban_board=${token}`).expect(401);
      await http.get(`/api/v1/units?token=${token}`).set('Authorization', `Bearer ${token}`).expect(400);
      await http.get('/api/v1/units').set('Authorization', `Bearer ${token}`).expect(200);
      const { code } = (await http.post('/admin/queues/session').set('Authorization', `Bearer ${token}`).expect(201))
        .body;
      const opened = await http.get(`/admin/queues?code=${code}`).expect(303);
      const session = (opened.headers['set-cookie'][0] as string).split(';')[0];
      await http.get('/admin/queues').set('Cookie', session).expect(200);
      const log = lines.join('');
      // the log is there and has the requests: what is missing was redacted, not never written
      expect(log).toContain('/admin/queues?token=[redacted]&x=1');
      expect(log).toContain('/admin/queues?code=[redacted]');
      expect(log).toContain('"authorization":"[redacted]"');
      expect(log).toContain('"set-cookie":"[redacted]"');
      expect(log).not.toMatch(JWT);
      expect(log).not.toContain(code);
      expect(log).not.toContain(session.split('=')[1]);
    } finally {
      await app.close();
      dir.remove();
    }
  });
});

describe('the queue board over https or in production', () => {
  let api: TestApi;
  // production requires the personal-data master key too
  beforeAll(
    async () =>
      (api = await startTestApi({ NODE_ENV: 'production', PERSONAL_DATA_KEY: randomBytes(32).toString('base64') })),
  );
  afterAll(async () => api.close());

  it('marks the session cookie Secure', async () => {
    const { code } = (
      await api.http
        .post('/admin/queues/session')
        .set('Authorization', `Bearer ${api.token('admin')}`)
        .expect(201)
    ).body;
    const opened = await api.http.get(`/admin/queues?code=${code}`).expect(303);
    expect(opened.headers['set-cookie'][0]).toMatch(/; Secure/);
  });
});
