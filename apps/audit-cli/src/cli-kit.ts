import { resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { EventStore, EventStoreNotFound, eventUpcasters, openEventStore } from '@duban/event-store';

/**
 * The scaffolding Duban's command-line tools share (duban-audit here, duban-projections imports it):
 * exit codes, usage errors, where the log is, a running server's address and token, progress, and
 * the entry point. Each tool keeps its own usage text and commands.
 */

/** Exit codes every tool keeps; a tool adds its own (1 tampered, 4 in use). */
export const EXIT_CODES = { ok: 0, usage: 2, failed: 3 } as const;

/** A mistake in how the tool was called: the tool answers exit code 2 with a hint. */
export class UsageError extends Error {}

/** `--data-dir`, else $DATA_DIR, else ./data. */
export function dataDirOf(flag: string | undefined): string {
  return resolve(flag ?? process.env.DATA_DIR ?? './data');
}

/** `--server URL` with `--token` (or $DUBAN_TOKEN), checked. */
export function serverOf(values: { server?: string; token?: string }): { url: string; token: string } {
  const url = values.server ?? '';
  const token = values.token ?? process.env.DUBAN_TOKEN;
  if (!token) throw new UsageError('--server needs --token (or $DUBAN_TOKEN)');
  return { url, token };
}

/** A server address that is not a URL is a usage error, not a failed connection. */
export function assertServerUrl(server: string): void {
  try {
    new URL(server);
  } catch {
    throw new UsageError(`--server must be a URL such as http://localhost:3000, got "${server}"`);
  }
}

/**
 * The embedded store under a data dir, through the one factory (with the upcasters every reader
 * uses). Read-only, it must exist: `hint` says what to give instead.
 */
export function openLocalStore(dataDir: string, options: { readonly: boolean; hint?: string }): EventStore {
  try {
    // DATABASE_URL: the deployment's PostgreSQL store instead of a file under the data dir
    const databaseUrl = process.env.DATABASE_URL?.trim() || null;
    return openEventStore({ dataDir, databaseUrl, readonly: options.readonly, upcasters: eventUpcasters });
  } catch (error) {
    if (error instanceof EventStoreNotFound) throw new UsageError(`${error.message} (${options.hint})`);
    throw error;
  }
}

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

/** A progress bar on stderr; without a terminal (`--progress` in a pipe), plain lines every second. */
export function progressBar(enabled: boolean, label: string): Progress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | position {value}/{total} | {eta_formatted} left`,
    stream: process.stderr,
    hideCursor: true,
    noTTYOutput: !process.stderr.isTTY,
    notTTYSchedule: 1000,
  });
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** One line on stderr: what went wrong, no stack (a crash prints its stack: that is a bug to report). */
export function errorLine(prefix: string | null, message: string): void {
  process.stderr.write(prefix ? `${prefix}: ${message}\n` : `${message}\n`);
}

/**
 * Runs a tool's `main` as the process: its answer becomes the exit code. `exit: 'now'` ends the
 * process at once (handles left open by a library must not keep a finished rebuild waiting);
 * otherwise it ends when its output is flushed.
 */
export function runMain(
  main: (argv: string[]) => Promise<number>,
  options: { prefix: string; exit?: 'now' | 'when-flushed' },
): void {
  main(process.argv.slice(2)).then(
    (code) => {
      if (options.exit === 'now') process.exit(code);
      process.exitCode = code;
    },
    (error: unknown) => {
      errorLine(options.prefix, (error as Error).stack ?? String(error));
      process.exitCode = EXIT_CODES.failed;
    },
  );
}
