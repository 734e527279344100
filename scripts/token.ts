/**
 * Prints a bearer token for local use; the role and the subject are always named (no shared default identity):
 *   npm run token -- --role registrar --sub u-1
 *   npm run token -- --role unit_officer --unit <unitId> --sub u-2 [--name 张三] [--expires 8h]
 *   npm run token -- --role supervisor --units <unitId>,<unitId> --sub s-1
 * Signed with AUTH_JWT_SECRET, or the development secret kept in DATA_DIR; iss/aud from AUTH_ISSUER/AUTH_AUDIENCE.
 */
import { sign } from 'jsonwebtoken';
import { Duration } from 'luxon';
import { ConfigError, loadConfig, resolveJwtSecret } from '@duban/config';

const ROLES = ['registrar', 'unit_officer', 'assessor', 'auditor', 'admin', 'supervisor'];
const USAGE = `usage: npm run token -- --role <${ROLES.join('|')}> --sub ID [--unit UNIT_ID] [--units A,B] [--name NAME] [--expires 8h]\n`;

function fail(message: string, code = 2): never {
  process.stderr.write(message.endsWith('\n') ? message : `${message}\n`);
  process.exit(code);
}

/** `8h`, `30m`, `2d` or an ISO-8601 duration, in seconds. */
function seconds(expires: string): number {
  const short = /^(\d+)([smhd])$/.exec(expires);
  const ms = short
    ? Number(short[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[short[2] as 's' | 'm' | 'h' | 'd']
    : Duration.fromISO(expires).as('milliseconds');
  if (!Number.isFinite(ms) || ms <= 0) fail(`--expires must be like 8h, 30m, 2d or PT8H, got "${expires}"`);
  return Math.floor(ms / 1000);
}

function main(argv: string[]): void {
  const args: Record<string, string[]> = {};
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    if (!key.startsWith('--') || i + 1 >= argv.length) fail(USAGE);
    (args[key.slice(2)] ??= []).push(argv[++i]);
  }
  if (!args.role || !args.sub) fail(`--role and --sub are required\n${USAGE}`);
  const roles = args.role.flatMap((r) => r.split(','));
  const unknown = roles.filter((r) => !ROLES.includes(r));
  if (unknown.length) fail(`unknown role ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  const unitId = args.unit?.[0];
  if (roles.includes('unit_officer') && !unitId) fail('a unit_officer token needs --unit <unitId>');
  const unitIds = args.units?.flatMap((u) => u.split(',')).filter((u) => u !== '');
  if (roles.includes('supervisor') && !unitIds?.length) fail('a supervisor token needs --units <unitId>,<unitId>');
  const sub = args.sub[0];
  // a local tool, like `npm start`: no NODE_ENV means development here
  const env = { ...process.env, NODE_ENV: process.env.NODE_ENV || 'development' };
  let config: ReturnType<typeof loadConfig>;
  let secret: string;
  try {
    config = loadConfig(env);
    secret = resolveJwtSecret(config);
  } catch (error) {
    if (error instanceof ConfigError) fail(`duban-token: ${error.message}`, 1);
    throw error;
  }
  const lifetime = seconds(args.expires?.[0] ?? '8h');
  if (lifetime * 1000 > config.authTokenMaxLifetime.ms)
    fail(
      `--expires is longer than AUTH_TOKEN_MAX_LIFETIME (${config.authTokenMaxLifetime.iso}); the API would refuse it`,
    );
  const claims = {
    sub,
    name: args.name?.[0] ?? sub,
    roles,
    ...(unitId ? { unitId } : {}),
    ...(unitIds ? { unitIds } : {}),
  };
  const token = sign(claims, secret, {
    algorithm: 'HS256',
    expiresIn: lifetime,
    ...(config.authIssuer ? { issuer: config.authIssuer } : {}),
    ...(config.authAudience ? { audience: config.authAudience } : {}),
  });
  process.stdout.write(`${token}\n`);
}

main(process.argv.slice(2));
