import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './support/redis';
import { tempDir } from './support/temp-dir';

const ROOT = join(__dirname, '..');

function startProcess(
  app: 'api' | 'worker',
  env: Record<string, string>,
): {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
} {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, `apps/${app}/src/main.ts`)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, REDIS_URL: process.env.REDIS_URL, LOG_LEVEL: 'info', ...env },
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
  ] as const)('%s refuses bad configuration with one clear line and exit code 1 (%j)', async (app, env, message) => {
    const proc = startProcess(app, { DATA_DIR: dir.path, ...env });
    const { code } = await proc.exited;
    expect(code).toBe(1);
    expect(proc.output().trim().split('\n')).toHaveLength(1);
    expect(proc.output()).toMatch(message);
  });

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
