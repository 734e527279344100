/**
 * Prints a bearer token for local use:
 *   npm run token -- --role registrar
 *   npm run token -- --role unit_officer --unit <unitId> [--sub u-1] [--name 张三] [--expires 8h]
 * Signed with AUTH_JWT_SECRET, or the development secret kept in DATA_DIR.
 */
import { sign } from 'jsonwebtoken';
import { loadConfig, resolveJwtSecret } from '@duban/config';

const ROLES = ['registrar', 'unit_officer', 'assessor', 'auditor', 'admin'];

function main(argv: string[]): void {
  const args: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key.startsWith('--') || i + 1 >= argv.length) {
      process.stderr.write(
        `usage: npm run token -- --role <${ROLES.join('|')}> [--unit UNIT_ID] [--sub ID] [--name NAME] [--expires 8h]\n`,
      );
      process.exit(2);
    }
    (args[key.slice(2)] ??= []).push(argv[++i]);
  }
  const roles = (args.role ?? ['admin']).flatMap((r) => r.split(','));
  const unknown = roles.filter((r) => !ROLES.includes(r));
  if (unknown.length) {
    process.stderr.write(`unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}\n`);
    process.exit(2);
  }
  const unitId = args.unit?.[0];
  if (roles.includes('unit_officer') && !unitId) {
    process.stderr.write('a unit_officer token needs --unit <unitId>\n');
    process.exit(2);
  }
  const sub = args.sub?.[0] ?? `local-${roles.join('-')}`;
  const secret = resolveJwtSecret(loadConfig());
  const token = sign({ sub, name: args.name?.[0] ?? sub, roles, ...(unitId ? { unitId } : {}) }, secret, {
    algorithm: 'HS256',
    expiresIn: (args.expires?.[0] ?? '8h') as never,
  });
  process.stdout.write(`${token}\n`);
}

main(process.argv.slice(2));
