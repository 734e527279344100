import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './redis';
import { TEST_SECRET } from './api';
import { waitUntil } from './wait';

const ROOT = join(__dirname, '..', '..');

export interface ApiProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  output(): string;
  /** SIGTERM (or the signal given, e.g. SIGKILL), then resolves when the process has exited */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** The real API (`apps/api/src/main.ts`) as a child process: a second process on a DATA_DIR an in-process API also uses. */
export async function startApiProcess(env: Record<string, string>, startTimeoutMs = 30_000): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, 'apps/api/src/main.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
      AUTH_JWT_SECRET: TEST_SECRET,
      LOG_LEVEL: 'warn',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}):\n${out.slice(-3000)}`);
        return (await fetch(`${url}/health`).catch(() => undefined))?.status === 200;
      },
      'the API process to answer /health',
      startTimeoutMs,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, output: () => out, stop };
}
