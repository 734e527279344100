import { dropRunDatabases } from './postgres';

export default async function globalTeardown(): Promise<void> {
  if (process.env.PG_TEST_URL && process.env.DUBAN_TEST_PG_PREFIX)
    await dropRunDatabases(process.env.DUBAN_TEST_PG_PREFIX).catch(() => undefined);
  const redis = (globalThis as { __DUBAN_REDIS__?: { stop(): Promise<void> } }).__DUBAN_REDIS__;
  if (redis) await redis.stop();
}
