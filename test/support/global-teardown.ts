export default async function globalTeardown(): Promise<void> {
  const redis = (globalThis as { __DUBAN_REDIS__?: { stop(): Promise<void> } }).__DUBAN_REDIS__;
  if (redis) await redis.stop();
}
