import { startTestRedis } from './redis';

/** Starts a private redis-server for the run when REDIS_URL is unset; never touches a Redis it did not start. */
export default async function globalSetup(): Promise<void> {
  if (process.env.REDIS_URL) return;
  const redis = await startTestRedis();
  process.env.REDIS_URL = redis.url;
  process.env.DUBAN_TEST_REDIS_OWNED = '1';
  (globalThis as { __DUBAN_REDIS__?: typeof redis }).__DUBAN_REDIS__ = redis;
}
