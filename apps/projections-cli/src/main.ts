import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, DubanConfig, loadConfig } from '@duban/config';
import type { EventStore } from '@duban/event-store';
import {
  Projection,
  ProjectionRunner,
  READ_MODEL_FILE,
  ReadModelInUseError,
  readModelProjections,
} from '@duban/projections';
// the scaffolding both CLIs share lives with the auditor's CLI, the first of them
import { errorLine, EXIT_CODES, openLocalStore, runMain, serverOf, UsageError } from '../../audit-cli/src/cli-kit';

export const EXIT = { ...EXIT_CODES, inUse: 4 } as const;

const USAGE = `duban-projections — the API's read model, rebuilt from the event log

usage: npm run projections -- <command> [options]

commands:
  rebuild      replay the whole log into a fresh read model and swap it in
  status       each projection's checkpoint against the log's head

where (one of):
  --data-dir DIR             the embedded store and read model under DIR (default: $DATA_DIR or ./data); for
                             rebuild the read model must not be open in a running API (exit 4 if it is)
  --server URL --token JWT   ask a running API to rebuild its own read model, blue-green (admin token;
                             token also from $DUBAN_TOKEN)

The read model's projections follow the API's configuration (TZ_AGENCY, NOTIFICATION_POLICY_FILE).
exit codes: 0 done, 2 usage error, 3 could not run, 4 the read model is in use by another process`;

type Out = (line: string) => void;

/** Asks a running API to rebuild its own read model (blue-green), and prints its answer. */
async function rebuildOnServer(values: { server?: string; token?: string }, out: Out): Promise<number> {
  const { url, token } = serverOf(values);
  const res = await fetch(new URL('/api/v1/admin/projections/rebuild', url), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}` },
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`the server answered ${res.status}: ${body}`);
  out(body);
  return EXIT.ok;
}

/** Each projection's checkpoint against the log's head. */
function printStatus(file: string, projections: Projection[], head: number, out: Out): number {
  const rows = existsSync(file) ? readCheckpoints(file) : [];
  for (const p of projections) {
    const row = rows.find((r) => r.name === p.name);
    const position = row && String(row.version) === String(p.version) ? row.position : 0;
    out(
      `${p.name.padEnd(12)} position ${position} of ${head}${position < head ? ` (${head - position} behind)` : ''}${row && String(row.version) !== String(p.version) ? ' (stale version: rebuilt on start)' : ''}`,
    );
  }
  return EXIT.ok;
}

async function rebuildOffline(store: EventStore, file: string, projections: Projection[], out: Out): Promise<number> {
  const started = Date.now();
  const { position } = await ProjectionRunner.rebuildFile({ store, file, projections });
  const seconds = (Date.now() - started) / 1000;
  out(
    JSON.stringify({
      file,
      position,
      seconds,
      eventsPerSecond: Math.round(position / Math.max(seconds, 0.001)),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    }),
  );
  return EXIT.ok;
}

/** `status` or `rebuild` on the data dir's own store and read model. */
async function onDataDir(command: string, config: DubanConfig, out: Out): Promise<number> {
  const file = join(config.dataDir, READ_MODEL_FILE);
  const projections = readModelProjections(config);
  const store = openLocalStore(config.dataDir, { readonly: true, hint: 'give --data-dir' });
  try {
    if (command === 'status') return printStatus(file, projections, await store.headPosition(), out);
    if (command !== 'rebuild') throw new UsageError(`unknown command ${command}`);
    return await rebuildOffline(store, file, projections, out);
  } finally {
    await store.close();
  }
}

function exitFor(error: unknown): number {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  if (error instanceof ConfigError) return (errorLine('configuration', error.message), EXIT.usage);
  if (error instanceof ReadModelInUseError) return (errorLine(null, error.message), EXIT.inUse);
  errorLine(null, (error as Error).message);
  return EXIT.failed;
}

export async function main(argv: string[], out: Out = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) return (out(USAGE), EXIT.ok);
    const [command, ...rest] = positionals;
    if (!command || rest.length)
      throw new UsageError(command ? `unexpected ${rest.join(' ')}` : 'a command is required');
    if (values.server) {
      if (command !== 'rebuild') throw new UsageError(`${command} works on a data dir, not a server`);
      return await rebuildOnServer(values, out);
    }
    const config = loadConfig({ ...process.env, ...(values['data-dir'] ? { DATA_DIR: values['data-dir'] } : {}) });
    return await onDataDir(command, config, out);
  } catch (error) {
    return exitFor(error);
  }
}

function readCheckpoints(file: string): { name: string; version: string | number; position: number }[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT name, version, position FROM projection_checkpoints').all() as {
      name: string;
      version: string | number;
      position: number;
    }[];
  } finally {
    db.close();
  }
}

if (require.main === module) runMain(main, { prefix: 'duban-projections', exit: 'now' });
