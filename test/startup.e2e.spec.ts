import { spawn, ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './support/redis';
import { tempDir } from './support/temp-dir';

const ROOT = join(__dirname, '..');

/** NODE_ENV=development unless a case sets it (undefined: not set at all, as on a host that forgot it). */
function startProcess(
  app: 'api' | 'worker',
  env: Record<string, string | undefined>,
): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, `apps/${app}/src/main.ts`)], {
    cwd: ROOT,
    env: definedOnly({
      PATH: process.env.PATH,
      REDIS_URL: process.env.REDIS_URL,
      LOG_LEVEL: 'info',
      NODE_ENV: 'development',
      ...env,
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  // 'close', not 'exit': the last lines of output may still be in the pipe when the process exits
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out');
}

/** After its shutdown hooks ran the process exits 0 (process.exit, so the last log lines are written). */
async function expectGracefulStop(proc: ReturnType<typeof startProcess>): Promise<void> {
  const { code, signal } = await proc.exited;
  if (!(code === 0 || signal === 'SIGTERM'))
    throw new Error(`exited with ${code ?? signal}:\n${proc.output().slice(-3000)}`);
  expect(proc.output()).toContain('stopped gracefully');
}

describe('process start and stop', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('duban-proc-')));
  afterEach(() => dir.remove());

  it.each([
    ['api', { PORT: 'eighty' }, /^duban-api: invalid configuration: PORT must be a whole number/],
    [
      'api',
      { DEADLINE_ESCALATIONS: 'P1D' },
      /^duban-api: invalid configuration: DEADLINE_ESCALATIONS must list exactly 4/,
    ],
    [
      'worker',
      { TZ_AGENCY: 'Nowhere/City' },
      /^duban-worker: invalid configuration: TZ_AGENCY must be an IANA time zone/,
    ],
    [
      'api',
      { NODE_ENV: undefined },
      /^duban-api: invalid configuration: AUTH_JWT_SECRET is required: NODE_ENV is not set/,
    ],
    [
      'worker',
      { NODE_ENV: undefined },
      /^duban-worker: invalid configuration: AUTH_JWT_SECRET is required: NODE_ENV is not set/,
    ],
    [
      'api',
      { AUTH_JWT_SECRET: 'only-31-characters-long-0123456' },
      /^duban-api: invalid configuration: AUTH_JWT_SECRET must be at least 32 characters for HS256, got 31$/m,
    ],
    [
      'api',
      { REDIS_URL: 'redis://:hunter2-password@redis host:6379' },
      /^duban-api: invalid configuration: REDIS_URL must be a URL .*redis:\/\/:\*\*\*@redis host:6379/,
    ],
  ] as const)('%s refuses bad configuration with one clear line and exit code 1 (%j)', async (app, env, message) => {
    const proc = startProcess(app, { DATA_DIR: dir.path, ...env });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.output().trim().split('\n')).toHaveLength(1);
    expect(proc.output()).toMatch(message);
    expect(proc.output()).not.toContain('hunter2');
  });

  it('the api refuses an empty development secret file (a half-written one) with one clear line', async () => {
    writeFileSync(join(dir.path, 'jwt-secret.dev'), '');
    const proc = startProcess('api', { DATA_DIR: dir.path });
    expect((await proc.exited).code).toBe(1);
    expect(proc.output().trim().split('\n')).toEqual([
      expect.stringMatching(/^duban-api: invalid configuration: AUTH_JWT_SECRET is not set and .* holds 0 characters/),
    ]);
  });

  it('processes starting together on one DATA_DIR all read the same complete development secret', async () => {
    // each child makes the secret in the same 1000 fresh directories once all are told to go, racing the others
    const dirs = Array.from({ length: 1000 }, (_, i) => join(dir.path, `d${i}`));
    const script = join(dir.path, 'race.js');
    writeFileSync(
      script,
      `const { resolveJwtSecret } = require(${JSON.stringify(join(ROOT, 'libs/config/src/jwt-secret.ts'))});
       const dirs = ${JSON.stringify(dirs)};
       process.stdin.once('data', () => {
         process.stdout.write(JSON.stringify(dirs.map((dataDir) => resolveJwtSecret({ authJwtSecret: null, dataDir }))));
         process.exit(0);
       });
       process.stderr.write('ready');`,
    );
    const children = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', script], { cwd: ROOT });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const ready = new Promise((resolve) => child.stderr.once('data', resolve));
      const done = new Promise<string>((resolve) => child.on('close', () => resolve(out)));
      return { child, ready, done };
    });
    await Promise.all(children.map((c) => c.ready));
    for (const { child } of children) child.stdin.write('go\n');
    const secrets = (await Promise.all(children.map((c) => c.done))).map((out) => JSON.parse(out) as string[]);
    for (let i = 0; i < dirs.length; i++) {
      const seen = new Set(secrets.map((list) => list[i]));
      expect([...seen]).toEqual([expect.stringMatching(/^.{32,}$/)]);
    }
  }, 120_000);

  it('the api serves /health, logs JSON with correlation ids, and stops gracefully on SIGTERM', async () => {
    const port = await freePort();
    const proc = startProcess('api', { DATA_DIR: dir.path, PORT: String(port) });
    await waitFor(async () => {
      try {
        return (await fetch(`http://127.0.0.1:${port}/health`)).status === 200;
      } catch {
        return false;
      }
    });
    await fetch(`http://127.0.0.1:${port}/health`, { headers: { 'X-Correlation-Id': 'trace-me-123' } });
    await waitFor(() => proc.output().includes('trace-me-123'), 5000);
    const lines = proc.output().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
    expect(lines.map((l) => JSON.parse(l)).find((l) => l.correlationId === 'trace-me-123')).toBeDefined();
    proc.child.kill('SIGTERM');
    await expectGracefulStop(proc);
  });

  it('the worker starts, checks Redis, and stops gracefully on SIGTERM', async () => {
    const proc = startProcess('worker', { DATA_DIR: dir.path });
    await waitFor(() => proc.output().includes('duban worker ready'));
    proc.child.kill('SIGTERM');
    await expectGracefulStop(proc);
  });
});
