import { createReadStream, createWriteStream, existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { EVENTS_FILE, eventUpcasters, rawEventLog, SqliteEventStore } from '@duban/event-store';
import {
  DigestClaim,
  exportLog,
  ImportError,
  importLog,
  loadKeyring,
  parseDigestClaim,
  replayStream,
  trustedPublicKeyPems,
  trustImportedPublicKey,
  verifyLogSteps,
  VerifyReport,
} from '@duban/audit';

/** Exit codes scripts can rely on. */
export const EXIT = { clean: 0, tampered: 1, usage: 2, failed: 3 } as const;

const USAGE = `duban-audit — the auditor's tool for Duban's event log

usage: npm run audit -- <command> [options]      (or: duban-audit <command> [options])

commands:
  verify [--against DIGEST]          recompute every hash chain, the running digest and the signed digests;
                                     DIGEST: the JSON printed by \`digest\`, a digests line, "<position>:<hex>", or a file holding one
  digest                             verify, then print the current digest (keep it outside the system)
  export [--out FILE]                the whole log as NDJSON (stdout by default)
  import FILE                        import an export into an EMPTY store (the --data-dir file, or the server's)
  replay --stream ID --as-of INSTANT print the stream's state as it stood at INSTANT (and its events up to then)

where the log is (one of):
  --data-dir DIR                     the embedded store DIR/${EVENTS_FILE}, opened read-only (default: $DATA_DIR or ./data)
  --server URL --token JWT           a running API (token also from $DUBAN_TOKEN; auditor or admin, admin for import)

other options:
  --public-key FILE                  a ledger public key to trust (repeatable; default: the keys published in the data dir)
  --progress                         show the progress bar even when stderr is not a terminal
  -h, --help

exit codes: 0 clean, 1 tampered (or an import refused for tampering), 2 usage error, 3 could not run (I/O, server)`;

class UsageError extends Error {}

interface Options {
  dataDir: string;
  server?: string;
  token?: string;
  publicKeys: string[];
  progress: boolean;
}

function progressBar(enabled: boolean, label: string) {
  if (!enabled) return { update: (_done: number, _total: number) => undefined, stop: () => undefined };
  // --progress without a terminal: plain lines every second instead of a redrawn bar
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | position {value}/{total} | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 1000,
    },
    undefined,
  );
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

function openStore(options: Options): SqliteEventStore {
  const file = join(options.dataDir, EVENTS_FILE);
  if (!existsSync(file)) throw new UsageError(`no event store at ${file} (give --data-dir, or --server and --token)`);
  return new SqliteEventStore({ file, readonly: true, upcasters: eventUpcasters });
}

async function api(options: Options, path: string, init: RequestInit = {}): Promise<Response> {
  if (!options.token) throw new UsageError('--server needs --token (or $DUBAN_TOKEN)');
  let res: Response;
  try {
    res = await fetch(new URL(`/api/v1${path}`, options.server), {
      ...init,
      headers: { ...(init.headers ?? {}), Authorization: `Bearer ${options.token}` },
    });
  } catch (error) {
    throw new Error(`the server at ${options.server} did not answer: ${(error as Error).message}`);
  }
  if (!res.ok) {
    const body = await res.text();
    let detail = body;
    try {
      detail = JSON.parse(body).detail ?? body;
    } catch {
      /* not JSON */
    }
    const error = new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${detail}`);
    (error as Error & { status?: number }).status = res.status;
    throw error;
  }
  return res;
}

async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  for await (const line of createInterface({ input: Readable.fromWeb(body as never), crlfDelay: Infinity }))
    if (line) yield line;
}

/** DIGEST: the value itself, or a file holding it (the JSON `digest` printed, or an export whose last line is its trailer). */
function readDigestArgument(text: string): DigestClaim {
  const candidates =
    existsSync(text) && statSync(text).isFile()
      ? [readFileSync(text, 'utf8').trim()].flatMap((content) => [content, content.split('\n').pop()!])
      : [text];
  let problem = '';
  for (const candidate of candidates) {
    try {
      return parseDigestClaim(candidate);
    } catch (error) {
      problem = (error as Error).message;
    }
  }
  throw new UsageError(`--against: ${problem}`);
}

async function verify(options: Options, against?: string): Promise<VerifyReport> {
  const claims = against ? [readDigestArgument(against)] : [];
  const bar = progressBar(options.progress, 'verify');
  try {
    if (options.server) {
      // the heads are not needed to check a digest (their hash is signed) and would make the URL long
      const query = against ? `?against=${encodeURIComponent(JSON.stringify({ ...claims[0], heads: undefined }))}` : '';
      const res = await api(options, `/audit/verify${query}`);
      for await (const line of lines(res.body!)) {
        const message = JSON.parse(line);
        if (message.progress) bar.update(message.progress.position, message.progress.head);
        if (message.result) return message.result as VerifyReport;
      }
      throw new Error('the server ended the verification without a result');
    }
    const store = openStore(options);
    try {
      const steps = verifyLogSteps(rawEventLog(store), {
        keyring: loadKeyring({ publicKeyFiles: options.publicKeys, dataDir: options.dataDir }),
        against: claims,
      });
      for (;;) {
        const step = await steps.next();
        if (step.done) return step.value;
        bar.update(step.value.position, step.value.head);
      }
    } finally {
      await store.close();
    }
  } finally {
    bar.stop();
  }
}

function summary(report: VerifyReport): string {
  const head = `${report.events} events in ${report.streams} streams, ${report.digests.matched}/${report.digests.checked} digests matched`;
  if (report.ok) return `OK: ${head}${report.warnings.length ? ` (${report.warnings.join('; ')})` : ''}`;
  const b = report.firstBreak!;
  return `TAMPERED: ${head}; first break at position ${b.position}${b.streamId ? ` (stream ${b.streamId}, revision ${b.revision})` : ''}: ${b.reason} — ${b.detail}`;
}

async function exportTo(options: Options, out?: string): Promise<void> {
  const target = out ? createWriteStream(out) : process.stdout;
  const bar = progressBar(options.progress && Boolean(out || !process.stdout.isTTY), 'export');
  try {
    if (options.server) {
      const res = await api(options, '/audit/export');
      await pipeline(Readable.fromWeb(res.body as never), target);
      return;
    }
    const store = openStore(options);
    try {
      // the auditor holds no ledger key: the trailer carries the running digest unsigned
      const chunks = exportLog(rawEventLog(store), {
        publicKeys: trustedPublicKeyPems(options.dataDir),
        onProgress: (p) => bar.update(p.position, p.head),
      });
      await pipeline(Readable.from(chunks), target);
    } finally {
      await store.close();
    }
  } finally {
    bar.stop();
  }
}

async function importFrom(options: Options, file: string): Promise<object> {
  if (!existsSync(file)) throw new UsageError(`no file ${file}`);
  if (options.server) {
    const res = await api(options, '/admin/import', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-ndjson' },
      body: Readable.toWeb(createReadStream(file)) as never,
      duplex: 'half',
    } as RequestInit);
    return (await res.json()) as object;
  }
  const store = new SqliteEventStore({ file: join(options.dataDir, EVENTS_FILE) });
  const bar = progressBar(options.progress, 'import');
  try {
    if (store.headPositionSync() > 0)
      throw new UsageError(`the store in ${options.dataDir} holds events: import into an empty data directory`);
    const result = await importLog(createReadStream(file), store, {
      keyring: loadKeyring({ publicKeyFiles: options.publicKeys, dataDir: options.dataDir }),
      onProgress: (p) => bar.update(p.events, p.events),
    });
    for (const pem of result.publicKeys) trustImportedPublicKey(options.dataDir, pem);
    return { events: result.events, position: result.position, digest: result.digest, signed: result.signed };
  } finally {
    bar.stop();
    await store.close();
  }
}

async function replay(options: Options, streamId: string, asOf: string): Promise<object> {
  if (options.server)
    return (await (
      await api(options, `/audit/streams/${encodeURIComponent(streamId)}?asOf=${encodeURIComponent(asOf)}`)
    ).json()) as object;
  const store = openStore(options);
  try {
    const result = replayStream(streamId, store.readStreamSync(streamId), asOf);
    if (result.revision < 0) throw new UsageError(`stream ${streamId} did not exist at ${asOf}`);
    return result;
  } finally {
    await store.close();
  }
}

const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
        'public-key': { type: 'string', multiple: true },
        against: { type: 'string' },
        out: { type: 'string' },
        stream: { type: 'string' },
        'as-of': { type: 'string' },
        progress: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    process.stderr.write(`${USAGE}\n`);
    return values.help ? EXIT.clean : EXIT.usage;
  }
  const options: Options = {
    dataDir: resolve(values['data-dir'] ?? process.env.DATA_DIR ?? './data'),
    server: values.server,
    token: values.token ?? process.env.DUBAN_TOKEN,
    publicKeys: values['public-key'] ?? [],
    progress: Boolean(values.progress || process.stderr.isTTY),
  };
  try {
    if (options.server) {
      try {
        new URL(options.server);
      } catch {
        throw new UsageError(`--server must be a URL such as http://localhost:3000, got "${options.server}"`);
      }
    }
    const allowed: Record<string, { positionals: number }> = {
      verify: { positionals: 0 },
      digest: { positionals: 0 },
      export: { positionals: 0 },
      import: { positionals: 1 },
      replay: { positionals: 0 },
    };
    if (!allowed[command]) throw new UsageError(`unknown command "${command}"`);
    if (rest.length !== allowed[command].positionals)
      throw new UsageError(
        `${command} takes ${allowed[command].positionals === 1 ? 'one FILE' : 'no positional argument'}`,
      );
    switch (command) {
      case 'verify': {
        const report = await verify(options, values.against);
        print(report);
        process.stderr.write(`${summary(report)}\n`);
        return report.ok ? EXIT.clean : EXIT.tampered;
      }
      case 'digest': {
        const report = await verify(options);
        print({ ...report.digest, events: report.events, computedAt: new Date().toISOString(), verified: report.ok });
        if (!report.ok) process.stderr.write(`${summary(report)}\n`);
        return report.ok ? EXIT.clean : EXIT.tampered;
      }
      case 'export':
        await exportTo(options, values.out);
        return EXIT.clean;
      case 'import':
        print(await importFrom(options, rest[0]));
        return EXIT.clean;
      case 'replay': {
        if (!values.stream || !values['as-of']) throw new UsageError('replay needs --stream ID and --as-of INSTANT');
        if (Number.isNaN(Date.parse(values['as-of'])) || !/^\d{4}-\d{2}-\d{2}T/.test(values['as-of']))
          throw new UsageError(
            `--as-of must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, got "${values['as-of']}"`,
          );
        print(await replay(options, values.stream, values['as-of']));
        return EXIT.clean;
      }
    }
    return EXIT.usage;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`duban-audit: ${error.message}\n(see --help)\n`);
      return EXIT.usage;
    }
    const status = (error as { status?: number }).status;
    if (error instanceof ImportError || (command === 'import' && status === 400)) {
      process.stderr.write(`duban-audit: import refused: ${(error as Error).message}\n`);
      return EXIT.tampered;
    }
    process.stderr.write(`duban-audit: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error) => {
      process.stderr.write(`duban-audit: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
