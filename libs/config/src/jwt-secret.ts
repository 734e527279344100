import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DubanConfig } from './config';

export const DEV_SECRET_FILE = 'jwt-secret.dev';

/**
 * AUTH_JWT_SECRET, or in development a random secret kept in DATA_DIR so the api, the worker and
 * `npm run token` agree without set-up. `wx` makes two processes starting together agree too.
 */
export function resolveJwtSecret(config: Pick<DubanConfig, 'authJwtSecret' | 'dataDir'>): string {
  return config.authJwtSecret ?? devSecret(config.dataDir, DEV_SECRET_FILE);
}

export const DEV_WEBHOOK_SECRET_FILE = 'webhook-secret.dev';

/** WEBHOOK_SIGNING_SECRET, or in development a random one kept in DATA_DIR (receivers read it from there). */
export function resolveWebhookSecret(
  config: Pick<DubanConfig, 'webhookSigningSecret' | 'dataDir' | 'nodeEnv'>,
): string {
  // only the worker signs webhooks, so only the worker insists on it in production
  if (!config.webhookSigningSecret && config.nodeEnv === 'production')
    throw new ConfigError('WEBHOOK_SIGNING_SECRET', 'is required when NODE_ENV=production');
  return config.webhookSigningSecret ?? devSecret(config.dataDir, DEV_WEBHOOK_SECRET_FILE);
}

function devSecret(dataDir: string, name: string): string {
  const file = join(dataDir, name);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(file, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readFileSync(file, 'utf8').trim();
}
