import { parseArgs } from 'node:util';
import { ImportError } from '@duban/audit';
import { EVENTS_FILE } from '@duban/event-store';
import { assertServerUrl, dataDirOf, errorLine, runMain, UsageError } from './cli-kit';
import type { AuditCommand, AuditContext, CommandValues } from './context';
import { EXIT } from './exit';
import { digestCommand } from './commands/digest';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { replayCommand } from './commands/replay';
import { rotatePersonalDataKeyCommand } from './commands/personal-data';
import { verifyCommand } from './commands/verify';

export { EXIT };

const USAGE = `duban-audit — the auditor's tool for Duban's event log

usage: npm run audit -- <command> [options]      (or: duban-audit <command> [options])

commands:
  verify [--against DIGEST]          recompute every hash chain, the running digest and the signed digests;
                                     DIGEST: the JSON printed by \`digest\`, a digests line, "<position>:<hex>", or a file holding one;
                                     and every evidence file the log references exists and hashes to its id
  digest                             verify, then print the current digest (keep it outside the system)
  export [--out FILE]                the whole log as NDJSON (stdout by default)
         [--attachments DIR]         and every evidence file it references, as DIR/<sha256> (needs --out)
         [--with-personal-data --reason TEXT [--actor ID]]
                                     an admin's export with reporters' personal data in clear (--data-dir and
                                     PERSONAL_DATA_KEY; recorded in the log first); without it they stay sealed
  import FILE                        import an export into an EMPTY store (the --data-dir file, or the server's)
         [--attachments DIR]         and restore its evidence files from DIR, each checked against its hash
  replay --stream ID --as-of INSTANT print the stream's state as it stood at INSTANT (and its events up to then)
  rotate-personal-data-key           rewrap every reporter's data key from PERSONAL_DATA_KEY (or the development key)
                                     to $NEW_PERSONAL_DATA_KEY; the log is untouched (--data-dir; stop the API first)

where the log is (one of):
  --data-dir DIR                     the embedded store DIR/${EVENTS_FILE}, opened read-only (default: $DATA_DIR or ./data)
  --server URL --token JWT           a running API (token also from $DUBAN_TOKEN; auditor or admin, admin for import)

other options:
  --public-key FILE                  a ledger public key to trust (repeatable; default: the keys published in the data dir)
  --progress                         show the progress bar even when stderr is not a terminal
  -h, --help

exit codes: 0 clean, 1 tampered (or an import refused for tampering), 2 usage error, 3 could not run (I/O, server)`;

const COMMANDS: Record<string, AuditCommand> = {
  verify: verifyCommand,
  digest: digestCommand,
  export: exportCommand,
  import: importCommand,
  replay: replayCommand,
  'rotate-personal-data-key': rotatePersonalDataKeyCommand,
};

const PROGRAM = 'duban-audit';

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      'public-key': { type: 'string', multiple: true },
      against: { type: 'string' },
      out: { type: 'string' },
      attachments: { type: 'string' },
      'with-personal-data': { type: 'boolean' },
      actor: { type: 'string' },
      reason: { type: 'string' },
      stream: { type: 'string' },
      'as-of': { type: 'string' },
      progress: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

async function run(name: string, rest: string[], context: AuditContext, values: CommandValues): Promise<number> {
  if (context.server) assertServerUrl(context.server);
  if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`unknown command "${name}"`);
  const command = COMMANDS[name];
  if (rest.length !== command.positionals)
    throw new UsageError(`${name} takes ${command.positionals === 1 ? 'one FILE' : 'no positional argument'}`);
  return command.run(context, values, rest);
}

/** An error as one line and its exit code: usage 2, a refused import 1 (tampered), anything else 3. */
function exitFor(error: unknown, command: string): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${PROGRAM}: ${error.message}\n(see --help)\n`);
    return EXIT.usage;
  }
  const status = (error as { status?: number }).status;
  if (error instanceof ImportError || (command === 'import' && status === 400)) {
    errorLine(PROGRAM, `import refused: ${(error as Error).message}`);
    return EXIT.tampered;
  }
  errorLine(PROGRAM, (error as Error).message);
  return EXIT.failed;
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parse(argv);
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
  const context: AuditContext = {
    dataDir: dataDirOf(values['data-dir']),
    server: values.server,
    token: values.token ?? process.env.DUBAN_TOKEN,
    publicKeys: values['public-key'] ?? [],
    progress: Boolean(values.progress || process.stderr.isTTY),
  };
  try {
    return await run(command, rest, context, values);
  } catch (error) {
    return exitFor(error, command);
  }
}

if (require.main === module) runMain(main, { prefix: PROGRAM });
