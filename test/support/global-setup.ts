import { startTestRedis } from './redis';
import { DEFAULT_PG_TEST_URL, postgresAnswers } from './postgres';

/** The PostgreSQL specs use PG_TEST_URL (.ci/run sets it), else the local server when one answers; each spec makes its own database. */
async function findPostgres(): Promise<void> {
  process.env.DUBAN_TEST_PG_PREFIX = `duban_t_${process.pid}_`;
  if (!process.env.PG_TEST_URL && (await postgresAnswers(DEFAULT_PG_TEST_URL)))
    process.env.PG_TEST_URL = DEFAULT_PG_TEST_URL;
}

/** Starts a private redis-server for the run when REDIS_URL is unset; never touches a Redis it did not start. */
export default async function globalSetup(): Promise<void> {
  await findPostgres();
  if (process.env.REDIS_URL) return;
  const redis = await startTestRedis();
  process.env.REDIS_URL = redis.url;
  process.env.DUBAN_TEST_REDIS_OWNED = '1';
  (globalThis as { __DUBAN_REDIS__?: typeof redis }).__DUBAN_REDIS__ = redis;
}
