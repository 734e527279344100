import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestApi, TestApi } from './support/api';
import { main } from '../apps/audit-cli/src/main';
import { checkPersonalDataKey, PersonalDataVault, SqlitePersonalDataKeys } from '@duban/application/personal-data';
import type { Reporter } from '@duban/domain';
import { eventUpcasters, openEventStore } from '@duban/event-store';
import { issueBody } from './support/fixtures';
import { tempDir } from './support/temp-dir';

const ROOT = join(__dirname, '..');
const NAME = '孙八';
const PHONE = '13811112222';

/** The API as a child process on `dataDir`: what it printed and how it ended (it must not start). */
function startApiProcess(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/api/src/main.ts')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        REDIS_URL: process.env.REDIS_URL ?? '',
        NODE_ENV: 'development',
        PORT: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    // a process that started after all (the test failed) is stopped rather than left running
    const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * The audit CLI in this process (its commands, not a child: the api child process above is the one start that
 * must be real), with extra environment — master keys are never given on the command line — and its output.
 */
async function cli(args: string[], env: Record<string, string | undefined>) {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(env))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((c) => ((stdout += String(c)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((c) => ((stderr += String(c)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    for (const k of Object.keys(env))
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
  }
}

describe('the master key: checked at start, rotated without touching the log; exports with and without personal data', () => {
  const data = tempDir('duban-pdk-');
  const K1 = randomBytes(32).toString('base64');
  const K2 = randomBytes(32).toString('hex');
  let issueId: string;

  async function withApi<T>(key: string, body: (api: TestApi) => Promise<T>): Promise<T> {
    const api = await startTestApi({ DATA_DIR: data.path, PERSONAL_DATA_KEY: key });
    try {
      return await body(api);
    } finally {
      await api.app.close();
    }
  }

  beforeAll(async () => {
    issueId = await withApi(K1, async (api) => {
      const res = await api
        .as('registrar')
        .post('/api/v1/issues')
        .send(issueBody({ reporter: { name: NAME, phone: PHONE } }))
        .expect(201);
      return res.body.id as string;
    });
  });
  afterAll(() => data.remove());

  it('a wrong PERSONAL_DATA_KEY stops the api at start with one clear line and a non-zero exit', async () => {
    const wrong = randomBytes(32).toString('base64');
    const { code, output } = await startApiProcess({
      DATA_DIR: data.path,
      PERSONAL_DATA_KEY: wrong,
      AUTH_JWT_SECRET: 'x'.repeat(40),
      QUEUE_PREFIX: `t-pdk-${randomBytes(3).toString('hex')}`,
    });
    expect(code).not.toBe(0);
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^duban-api: failed to start: invalid configuration: PERSONAL_DATA_KEY is not the master key that wrapped the personal data keys in .*personal-data\.sqlite \(their key check value [0-9a-f]{16}, this key's [0-9a-f]{16}\)/,
    );
  });

  it('the export leaves personal data sealed; with --with-personal-data (an admin, recorded in the log first) it carries it in clear', async () => {
    const plain = join(data.path, 'export.ndjson');
    const sealed = await cli(['export', '--data-dir', data.path, '--out', plain], { PERSONAL_DATA_KEY: undefined });
    expect(sealed.code).toBe(0);
    const text = readFileSync(plain, 'utf8');
    expect(text).toContain('"sealed":{');
    expect(text).not.toContain(NAME);
    expect(text).not.toContain(PHONE);
    expect(text).not.toContain('personal-data.sqlite');

    const refused = await cli(['export', '--data-dir', data.path, '--with-personal-data', '--out', plain], {
      PERSONAL_DATA_KEY: K1,
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--reason/);

    const clear = join(data.path, 'export-clear.ndjson');
    const withData = await cli(
      [
        'export',
        '--data-dir',
        data.path,
        '--with-personal-data',
        '--actor',
        'admin-7',
        '--reason',
        '移送纪检',
        '--out',
        clear,
      ],
      { PERSONAL_DATA_KEY: K1 },
    );
    expect(withData.stderr).toBe('');
    expect(withData.code).toBe(0);
    const lines = readFileSync(clear, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const registered = lines.find((l) => l.streamId === `issue-${issueId}` && l.type === 'IssueRegistered');
    expect(registered.data.reporter.sealed).toBeDefined();
    expect(registered.personalData.reporter).toMatchObject({ name: NAME, phone: PHONE, confidential: true });
    const recorded = lines.find((l) => l.type === 'PersonalDataExported');
    expect(recorded).toMatchObject({
      streamId: 'personal-data',
      data: { by: 'admin-7', reason: '移送纪检', withPersonalData: true },
      metadata: { actor: { id: 'admin-7', role: 'admin' } },
    });
    // the hash chain still verifies
    const verified = await cli(['verify', '--data-dir', data.path], {});
    expect(verified.code).toBe(0);
  });

  it('rotation rewraps the data keys under a new master key; the old key no longer opens, the new one reveals the reporter', async () => {
    const events = readFileSync(join(data.path, 'events.sqlite'));
    const noNew = await cli(['rotate-personal-data-key', '--data-dir', data.path], { PERSONAL_DATA_KEY: K1 });
    expect(noNew.code).toBe(2);
    const wrongOld = await cli(['rotate-personal-data-key', '--data-dir', data.path], {
      PERSONAL_DATA_KEY: randomBytes(32).toString('base64'),
      NEW_PERSONAL_DATA_KEY: K2,
    });
    expect(wrongOld.code).toBe(3);
    expect(wrongOld.stderr).toMatch(/PERSONAL_DATA_KEY is not the master key/);

    const rotated = await cli(['rotate-personal-data-key', '--data-dir', data.path], {
      PERSONAL_DATA_KEY: K1,
      NEW_PERSONAL_DATA_KEY: K2,
    });
    expect(rotated.stderr).toBe('');
    expect(rotated.code).toBe(0);
    const answer = JSON.parse(rotated.stdout);
    expect(answer.rewrapped).toBe(1);
    expect(answer.keyCheckValue.before).not.toBe(answer.keyCheckValue.after);
    // the log is not touched
    expect(readFileSync(join(data.path, 'events.sqlite')).equals(events)).toBe(true);

    const config = { dataDir: data.path, nodeEnv: 'test' as const };
    await expect(checkPersonalDataKey({ ...config, personalDataKey: K1 })).rejects.toThrow(
      /PERSONAL_DATA_KEY is not the master key/,
    );
    await checkPersonalDataKey({ ...config, personalDataKey: K2 });
    // the sealed value in the log, opened with the new key
    const store = openEventStore({ dataDir: data.path, readonly: true, upcasters: eventUpcasters });
    const [registered] = await store.readStream(`issue-${issueId}`);
    await store.close();
    const vault = await PersonalDataVault.open(new SqlitePersonalDataKeys(data.path), Buffer.from(K2, 'hex'));
    const reporter = await vault.reveal((registered.data as { reporter: Reporter }).reporter);
    await vault.close();
    expect(reporter).toMatchObject({ name: NAME, phone: PHONE });
  });
});
