import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDevSecretFile, ConfigError, DEV_JWT_SECRET_FILE, DubanConfig, MIN_SECRET_LENGTH } from './config';

/**
 * AUTH_JWT_SECRET, or in development a random secret kept in DATA_DIR so the api and `npm run token`
 * agree without set-up (loadConfig already refused a missing secret outside development and test).
 */
export function resolveJwtSecret(config: Pick<DubanConfig, 'authJwtSecret' | 'dataDir'>): string {
  return config.authJwtSecret ?? devSecret(config.dataDir, DEV_JWT_SECRET_FILE, 'AUTH_JWT_SECRET');
}

export const DEV_WEBHOOK_SECRET_FILE = 'webhook-secret.dev';

/** WEBHOOK_SIGNING_SECRET, or in development a random one kept in DATA_DIR (receivers read it from there). */
export function resolveWebhookSecret(
  config: Pick<DubanConfig, 'webhookSigningSecret' | 'dataDir' | 'nodeEnv'>,
): string {
  // only the worker signs webhooks, so only the worker insists on it in production
  if (!config.webhookSigningSecret && config.nodeEnv === 'production')
    throw new ConfigError('WEBHOOK_SIGNING_SECRET', 'is required when NODE_ENV=production');
  return config.webhookSigningSecret ?? devSecret(config.dataDir, DEV_WEBHOOK_SECRET_FILE, 'WEBHOOK_SIGNING_SECRET');
}

/**
 * The secret is written whole into a temporary file and then hard-linked to its name: the name appears
 * only with its full content (a reader never sees an empty file), and of two processes starting together
 * exactly one link succeeds, so both end with the same secret.
 */
function devSecret(dataDir: string, name: string, variable: string): string {
  const file = join(dataDir, name);
  mkdirSync(dataDir, { recursive: true });
  const temporary = join(dataDir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temporary, randomBytes(48).toString('base64url'), { flag: 'wx', mode: 0o600, flush: true });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  const secret = checkDevSecretFile(file, variable);
  if (secret === null || secret.length < MIN_SECRET_LENGTH)
    throw new ConfigError(variable, `could not be read back from ${file}`);
  return secret;
}
