import { Worker, type WorkerOptions } from 'node:worker_threads';
import { dirname, extname, join } from 'node:path';

/**
 * Starts a `worker_thread` on a module of this code base, typed and compiled like any other: `sibling` is the
 * caller's `__filename`, so a compiled build runs `<name>.js` and the sources (swc-node, Jest) run `<name>.ts`
 * through a light swc hook (`ts-thread-hook.js`) rather than the process's own loader flags.
 */
export function startModuleThread(sibling: string, name: string, options: WorkerOptions = {}): Worker {
  const extension = extname(sibling);
  const file = join(dirname(sibling), `${name}${extension}`);
  const execArgv = extension === '.ts' ? ['--require', join(__dirname, 'ts-thread-hook.js')] : undefined;
  return new Worker(file, { execArgv, ...options });
}
