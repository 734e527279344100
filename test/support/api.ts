import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { loadConfig, DubanConfig } from '@duban/config';
import { createApp } from '../../apps/api/src/create-app';
import { tempDir } from './temp-dir';
import { signToken, TestRole } from './tokens';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApi {
  app: NestExpressApplication;
  config: DubanConfig;
  http: ReturnType<typeof request>;
  token(role: TestRole, unitId?: string, sub?: string): string;
  /** an authorised supertest agent for one role */
  as(role: TestRole, unitId?: string): { get(url: string): request.Test; post(url: string): request.Test };
  close(): Promise<void>;
}

/** The real API in-process: a fresh SQLite file in a temp DATA_DIR, the run's test Redis, real HTTP on a free port. */
export async function startTestApi(env: Record<string, string> = {}): Promise<TestApi> {
  const dir = tempDir('duban-api-');
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dir.path,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    AUTH_JWT_SECRET: TEST_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    PORT: '0',
    // queues of this API's own: tests share one Redis
    QUEUE_PREFIX: `t-api-${randomBytes(4).toString('hex')}`,
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer();
  const http = request(server);
  const token = (role: TestRole, unitId?: string, sub?: string) =>
    role === 'supervisor'
      ? // a supervisor (监督员) supervises the unit given, or one that exists nowhere
        signToken(TEST_SECRET, { roles: [role], unitIds: [unitId ?? 'no-supervised-unit'], sub })
      : signToken(TEST_SECRET, { roles: [role], unitId, sub });
  return {
    app,
    config,
    http,
    token,
    as(role, unitId) {
      const bearer = `Bearer ${token(role, unitId)}`;
      return {
        get: (url) => http.get(url).set('Authorization', bearer),
        post: (url) => http.post(url).set('Authorization', bearer),
      };
    },
    async close() {
      await app.close();
      dir.remove();
    },
  };
}
