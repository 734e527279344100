import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@duban/config';
import { EVENTS_FILE, eventUpcasters, SqliteEventStore } from '@duban/event-store';
import { ProjectionRunner, READ_MODEL_FILE, ReadModelInUseError, readModelProjections } from '@duban/projections';

export const EXIT = { ok: 0, usage: 2, failed: 3, inUse: 4 } as const;

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

class UsageError extends Error {}

export async function main(
  argv: string[],
  out: (line: string) => void = (l) => process.stdout.write(`${l}\n`),
): Promise<number> {
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
      const token = values.token ?? process.env.DUBAN_TOKEN;
      if (!token) throw new UsageError('--server needs --token (or $DUBAN_TOKEN)');
      const res = await fetch(new URL('/api/v1/admin/projections/rebuild', values.server), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await res.text();
      if (!res.ok) throw new Error(`the server answered ${res.status}: ${body}`);
      out(body);
      return EXIT.ok;
    }
    const config = loadConfig({ ...process.env, ...(values['data-dir'] ? { DATA_DIR: values['data-dir'] } : {}) });
    const eventsFile = join(config.dataDir, EVENTS_FILE);
    if (!existsSync(eventsFile)) throw new UsageError(`no event store at ${eventsFile} (give --data-dir)`);
    const file = join(config.dataDir, READ_MODEL_FILE);
    const projections = readModelProjections(config);
    const store = new SqliteEventStore({ file: eventsFile, readonly: true, upcasters: eventUpcasters });
    try {
      const head = await store.headPosition();
      if (command === 'status') {
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
      if (command !== 'rebuild') throw new UsageError(`unknown command ${command}`);
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
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
      return EXIT.usage;
    }
    if (error instanceof ConfigError) return (process.stderr.write(`configuration: ${error.message}\n`), EXIT.usage);
    if (error instanceof ReadModelInUseError) return (process.stderr.write(`${error.message}\n`), EXIT.inUse);
    process.stderr.write(`${(error as Error).message}\n`);
    return EXIT.failed;
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

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
