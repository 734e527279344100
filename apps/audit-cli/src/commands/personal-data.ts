import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, renameSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  decodeMasterKey,
  DEV_PERSONAL_DATA_KEY_FILE,
  PERSONAL_DATA_FILE,
  openPersonalDataKeys,
  PersonalDataVault,
  resolvePersonalDataKey,
} from '@duban/application/personal-data';
import { exportLog, trustedPublicKeyPems } from '@duban/audit';
import { ConfigError } from '@duban/config';
import { isSealedReporter, type Reporter } from '@duban/domain';
import { rawEventLog } from '@duban/event-store';
import { EXIT } from '../exit';
import { openLocalStore, UsageError } from '../cli-kit';
import { AuditCommand, AuditContext, CommandValues, print } from '../context';

/** The stream the exports that carried personal data in clear are recorded in. */
export const PERSONAL_DATA_STREAM = 'personal-data';
export const PERSONAL_DATA_EXPORTED = 'PersonalDataExported';

/** The master key as the api reads it: PERSONAL_DATA_KEY, else (outside production) the development key file. */
const masterKeyConfig = (dataDir: string, personalDataKey = process.env.PERSONAL_DATA_KEY?.trim() || null) => ({
  dataDir,
  personalDataKey,
  nodeEnv: process.env.NODE_ENV === 'production' ? ('production' as const) : ('development' as const),
});

/** The key table under --data-dir and the master key that opens it (never generated here). */
async function openVault(context: AuditContext): Promise<PersonalDataVault> {
  if (context.server)
    throw new UsageError('personal data is handled on the server’s data dir: give --data-dir (and PERSONAL_DATA_KEY)');
  if (!databaseUrl() && !existsSync(join(context.dataDir, PERSONAL_DATA_FILE)))
    throw new UsageError(`no personal data key table in ${context.dataDir} (${PERSONAL_DATA_FILE})`);
  if (!process.env.PERSONAL_DATA_KEY?.trim() && !existsSync(join(context.dataDir, DEV_PERSONAL_DATA_KEY_FILE)))
    throw new ConfigError('PERSONAL_DATA_KEY', `is not set (and ${context.dataDir} holds no development key)`);
  const masterKey = resolvePersonalDataKey(masterKeyConfig(context.dataDir));
  return PersonalDataVault.open(keyTable(context.dataDir), masterKey);
}

/** DATABASE_URL: the deployment's key table in PostgreSQL (shared by its nodes) instead of the file in the data dir */
const databaseUrl = () => process.env.DATABASE_URL?.trim() || null;
const keyTable = (dataDir: string) => openPersonalDataKeys({ dataDir, databaseUrl: databaseUrl() });

/**
 * `rotate-personal-data-key`: every reporter's data key unwrapped with the master key in force
 * (PERSONAL_DATA_KEY, or the development key file) and wrapped with NEW_PERSONAL_DATA_KEY, in one
 * transaction; the event log is not touched. Stop the API first; start it again with the new key.
 */
export const rotatePersonalDataKeyCommand: AuditCommand = {
  positionals: 0,
  async run(context) {
    const next = process.env.NEW_PERSONAL_DATA_KEY?.trim();
    if (!next) throw new UsageError('give the new master key in $NEW_PERSONAL_DATA_KEY (never on the command line)');
    const decoded = decodeMasterKey(next);
    if ('problem' in decoded) throw new ConfigError('NEW_PERSONAL_DATA_KEY', decoded.problem);
    const vault = await openVault(context);
    const before = vault.keyCheckValue;
    await vault.close();
    const old = resolvePersonalDataKey(masterKeyConfig(context.dataDir));
    const rewrapped = await PersonalDataVault.rotate(keyTable(context.dataDir), old, decoded.key);
    if (!process.env.PERSONAL_DATA_KEY?.trim()) {
      // development: the key file follows, so the next start opens the rotated keys
      const file = join(context.dataDir, DEV_PERSONAL_DATA_KEY_FILE);
      writeFileSync(`${file}.tmp`, next, { mode: 0o600, flush: true });
      renameSync(`${file}.tmp`, file);
    }
    const after = await PersonalDataVault.open(keyTable(context.dataDir), decoded.key);
    print({ rewrapped, keyCheckValue: { before, after: after.keyCheckValue } });
    await after.close();
    return EXIT.clean;
  },
};

/**
 * `export --with-personal-data --actor ID --reason TEXT` (an admin, on the server's data dir): the export
 * is first recorded in the log (`PersonalDataExported` on the `personal-data` stream, and in the access log),
 * then every event line that holds a sealed reporter gains `"personalData": {"reporter": …}` in clear (or
 * `{erased: true}`) beside — not inside — its hashed data, so the hashes still verify. The key table is never exported.
 */
export async function exportWithPersonalData(context: AuditContext, values: CommandValues): Promise<number> {
  const actor = values.actor?.trim() || userInfo().username;
  const reason = values.reason?.trim();
  if (!reason) throw new UsageError('--with-personal-data needs --reason TEXT (recorded in the log)');
  const vault = await openVault(context);
  const store = openLocalStore(context.dataDir, { readonly: false });
  try {
    const at = new Date().toISOString();
    await store.append(
      PERSONAL_DATA_STREAM,
      [
        {
          id: randomUUID(),
          type: PERSONAL_DATA_EXPORTED,
          data: { at, by: actor, reason, withPersonalData: true },
          metadata: { actor: { id: actor, role: 'admin' }, correlationId: randomUUID(), recordedAt: at },
        },
      ],
      { expectedRevision: 'any' },
    );
    await vault.keys.recordAccess([
      { at, actorId: actor, actorRole: 'admin', issueId: null, reporterId: null, purpose: 'export' },
    ]);
    const chunks = exportLog(rawEventLog(store), { publicKeys: trustedPublicKeyPems(context.dataDir) });
    const target = values.out ? createWriteStream(values.out) : process.stdout;
    await pipeline(Readable.from(revealed(chunks, vault)), target);
    return EXIT.clean;
  } finally {
    await store.close();
    await vault.close();
  }
}

async function* revealed(chunks: AsyncIterable<string>, vault: PersonalDataVault): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    if (!chunk.includes('"sealed":{')) {
      yield chunk;
      continue;
    }
    const lines = chunk.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].includes('"sealed":{')) continue;
      const reporter = (JSON.parse(lines[i]) as { data?: { reporter?: Reporter } }).data?.reporter;
      if (!isSealedReporter(reporter)) continue;
      const shown = await vault.reveal(reporter);
      lines[i] = `${lines[i].slice(0, -1)},"personalData":${JSON.stringify({ reporter: shown })}}`;
    }
    yield lines.join('\n');
  }
}
