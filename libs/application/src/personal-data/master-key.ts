import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type DubanConfig } from '@duban/config';
import { decodeMasterKey } from './envelope';
import { PersonalDataVault } from './personal-data-vault';
import { openPersonalDataKeys } from './postgres-personal-data-keys';

/** The development master key's file in DATA_DIR (never used when NODE_ENV=production). */
export const DEV_PERSONAL_DATA_KEY_FILE = 'personal-data-key.dev';

/**
 * `PERSONAL_DATA_KEY` as bytes (base64 or hex, ≥ 32 bytes), required when NODE_ENV=production; otherwise
 * a random key generated once into `DATA_DIR/personal-data-key.dev` (created whole, then hard-linked, so two
 * processes starting together end with the same key).
 */
export function resolvePersonalDataKey(config: Pick<DubanConfig, 'dataDir' | 'nodeEnv' | 'personalDataKey'>): Buffer {
  const given = config.personalDataKey?.trim();
  if (given) return decoded(given, 'PERSONAL_DATA_KEY');
  if (config.nodeEnv === 'production')
    throw new ConfigError(
      'PERSONAL_DATA_KEY',
      'is required when NODE_ENV=production (the master key of reporters’ personal data: at least 32 random bytes, base64 or hex, e.g. `openssl rand -base64 32`)',
    );
  const file = join(config.dataDir, DEV_PERSONAL_DATA_KEY_FILE);
  mkdirSync(config.dataDir, { recursive: true });
  const temporary = join(
    config.dataDir,
    `.${DEV_PERSONAL_DATA_KEY_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  writeFileSync(temporary, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600, flush: true });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
  return decoded(readFileSync(file, 'utf8'), `PERSONAL_DATA_KEY (unset; the development key in ${file})`);
}

function decoded(text: string, variable: string): Buffer {
  const result = decodeMasterKey(text);
  if ('problem' in result) throw new ConfigError(variable, result.problem);
  return result.key;
}

/**
 * Checks the master key against the key table before anything else starts (the api's main calls it before
 * Nest), so a wrong key stops the process with exactly one line and no half-started application.
 */
export async function checkPersonalDataKey(
  config: Pick<DubanConfig, 'dataDir' | 'nodeEnv' | 'personalDataKey'> & { databaseUrl?: string | null },
): Promise<void> {
  const vault = await PersonalDataVault.open(openPersonalDataKeys(config), resolvePersonalDataKey(config));
  await vault.close();
}
