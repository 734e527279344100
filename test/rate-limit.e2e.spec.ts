import { randomUUID } from 'node:crypto';
import { startTestApi, TestApi } from './support/api';
import { issueBody } from './support/fixtures';

const LIMIT_VARIABLES = [
  'RATE_LIMIT_ENABLED',
  'RATE_LIMIT_WINDOW_MS',
  'RATE_LIMIT_WRITES_PER_TOKEN',
  'RATE_LIMIT_WRITES_PER_ADDRESS',
  'RATE_LIMIT_BALLOTS_PER_BALLOT_TOKEN',
];

/** The rate limits are read from the environment when the app is built: set them for one API only. */
async function apiWithLimits(limits: Record<string, string>): Promise<TestApi> {
  const saved = LIMIT_VARIABLES.map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, limits);
  try {
    return await startTestApi();
  } finally {
    for (const [name, value] of saved)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
}

describe('rate limits: writes per token, per address and per anonymous ballot token', () => {
  const apis: TestApi[] = [];
  afterAll(async () => {
    for (const api of apis) await api.close();
  });

  describe('per token', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await apiWithLimits({ RATE_LIMIT_WRITES_PER_TOKEN: '5', RATE_LIMIT_WRITES_PER_ADDRESS: '100' });
      apis.push(api);
    });
    const register = (token: string) =>
      api.http.post('/api/v1/issues').set('Authorization', `Bearer ${token}`).send(issueBody());

    it('a burst over the limit gets 429 problem+json with Retry-After; another token and reads are not affected', async () => {
      const alice = api.token('registrar', undefined, 'alice');
      for (let i = 0; i < 5; i++) expect((await register(alice)).status).toBe(201);
      const refused = await register(alice);
      expect(refused.status).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(refused.body).toMatchObject({ status: 429, title: 'Too Many Requests', retryAfter });
      expect(refused.body.detail).toMatch(/from this token: at most 5 in 60 s/);

      const bob = api.token('registrar', undefined, 'bob');
      expect((await register(bob)).status).toBe(201);
      expect((await api.http.get('/api/v1/issues').set('Authorization', `Bearer ${alice}`)).status).toBe(200);
    });

    it("a forged token naming someone's subject does not spend that subject's allowance", async () => {
      const forged = api.token('registrar', undefined, 'carol').replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      for (let i = 0; i < 8; i++) expect((await register(forged)).status).toBe(401);
      expect((await register(api.token('registrar', undefined, 'carol'))).status).toBe(201);
    });
  });

  describe('per address and per ballot token', () => {
    let api: TestApi;
    beforeAll(async () => {
      api = await apiWithLimits({
        RATE_LIMIT_WRITES_PER_TOKEN: '1000',
        RATE_LIMIT_WRITES_PER_ADDRESS: '12',
        RATE_LIMIT_BALLOTS_PER_BALLOT_TOKEN: '3',
      });
      apis.push(api);
    });

    it('token-less ballots are limited per ballot token: a fourth try with one token is 429, another token is not', async () => {
      const url = `/api/v1/appraisals/${randomUUID()}/ballots`;
      const cast = (token: string) => api.http.post(url).send({ token, round: 'r1', unitId: 'u', scores: {} });
      for (let i = 0; i < 3; i++) expect((await cast('guessed-token-1')).status).not.toBe(429);
      const refused = await cast('guessed-token-1');
      expect(refused.status).toBe(429);
      expect(refused.body.detail).toMatch(/from this ballot token/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await cast('guessed-token-2')).status).not.toBe(429);
    });

    it('writes from one address are limited whatever the token (and token-less ballots count too)', async () => {
      // 5 writes so far from this address (the ballots above); 7 more fill the allowance of 12
      for (let i = 0; i < 7; i++) {
        const token = api.token('registrar', undefined, `user-${i}`);
        expect(
          (await api.http.post('/api/v1/issues').set('Authorization', `Bearer ${token}`).send(issueBody())).status,
        ).toBe(201);
      }
      const refused = await api.http
        .post('/api/v1/issues')
        .set('Authorization', `Bearer ${api.token('registrar', undefined, 'fresh')}`)
        .send(issueBody());
      expect(refused.status).toBe(429);
      expect(refused.body.detail).toMatch(/from this address/);
    });
  });

  it('RATE_LIMIT_ENABLED=false turns the limits off (what the benchmarks set)', async () => {
    const api = await apiWithLimits({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_WRITES_PER_TOKEN: '1' });
    apis.push(api);
    const token = api.token('registrar', undefined, 'bench');
    for (let i = 0; i < 3; i++)
      expect(
        (await api.http.post('/api/v1/issues').set('Authorization', `Bearer ${token}`).send(issueBody())).status,
      ).toBe(201);
  });

  it('a malformed limit stops the API at start, naming the variable', async () => {
    await expect(apiWithLimits({ RATE_LIMIT_WRITES_PER_TOKEN: 'lots' })).rejects.toThrow(
      /RATE_LIMIT_WRITES_PER_TOKEN must be a whole number/,
    );
  });
});
