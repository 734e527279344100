import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface WorkerProcess {
  child: ChildProcess;
  /** everything it logged (JSON lines), for assertions and for failure messages */
  output(): string;
  /** resolves when its log says `line` (e.g. 'worker processing queues') */
  waitFor(line: string, timeoutMs?: number): Promise<void>;
  /** SIGTERM (graceful) or SIGKILL; resolves with the exit code or signal */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

/** The real worker (`apps/worker/src/main.ts`) as a child process with this environment. */
export function startWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.WORKER_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
      '-r',
      '@swc-node/register',
      join(ROOT, 'apps/worker/src/main.ts'),
    ],
    {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      if (out.includes(w.line)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal)),
  );
  return {
    child,
    output: () => out,
    waitFor(line, timeoutMs = 30_000) {
      if (out.includes(line)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`worker did not log "${line}" within ${timeoutMs} ms:\n${out.slice(-4000)}`)),
          timeoutMs,
        );
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push({ line, resolve: done });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`worker exited (${code}) before logging "${line}":\n${out.slice(-4000)}`));
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
