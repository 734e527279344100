import { Duration, IANAZone } from 'luxon';
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parseConnectionString } from '@eventstore/db-client/dist/Client/parseConnectionString';
import { DEFAULT_NOTIFICATION_POLICY, NotificationPolicy, parseNotificationPolicy } from '@duban/domain';

/** The validated configuration of one process (api or worker). See the README's configuration table. */
export interface DubanConfig {
  nodeEnv: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  eventStoreConnectionString: string | null;
  /** PostgreSQL event store (DATABASE_URL); exclusive with eventStoreConnectionString */
  databaseUrl: string | null;
  redisUrl: string;
  /** null: development default, generated into DATA_DIR by `resolveJwtSecret` */
  authJwtSecret: string | null;
  /** the longest a bearer token may live (exp - iat, and exp - now); longer ones are refused */
  authTokenMaxLifetime: DurationSetting;
  /** when set, a token's `iss` must be this */
  authIssuer: string | null;
  /** when set, a token's `aud` must name this */
  authAudience: string | null;
  /** before the deadline, in milliseconds, largest first */
  deadlineReminders: DurationSetting[];
  /** after the deadline, one per escalation level 1..4 */
  deadlineEscalations: DurationSetting[];
  tzAgency: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** when set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>` */
  metricsToken: string | null;
  /** largest accepted request body, in bytes */
  bodyLimitBytes: number;
  /** how long shutdown waits for in-flight work before giving up */
  shutdownTimeoutMs: number;
  /** an agency's holiday calendar overlaid on the shipped PRC schedule (same JSON format) */
  workingCalendarFile: string | null;
  /** BullMQ key prefix: deployments (or test runs) sharing one Redis keep apart by it */
  queuePrefix: string;
  /** names this worker's read-model file (two workers on one DATA_DIR need two names) */
  workerName: string;
  /** the worker's own /metrics and /health port; null: not served */
  workerMetricsPort: number | null;
  /** jobs one worker runs at once, per queue */
  workerConcurrency: number;
  /** how often the reconciler restores missing deadline jobs (it also runs at start) */
  reconcileIntervalMs: number;
  /** 按月上报: the day of the month (agency time) the monthly progress request goes out, at `progressRequestHour` */
  progressRequestDay: number;
  progressRequestHour: number;
  /** the day of the month by whose end the report is due; a unit that has not reported is reminded then */
  progressDueDay: number;
  /** who is notified of what (NOTIFICATION_POLICY_FILE, else the built-in ladder) */
  notificationPolicy: NotificationPolicy;
  /** null: development default, generated into DATA_DIR by `resolveWebhookSecret` */
  webhookSigningSecret: string | null;
  webhookTimeoutMs: number;
  /** tries per delivery before it is dead-lettered, and the first backoff (doubling each try) */
  notifyMaxAttempts: number;
  notifyBackoffMs: number;
  /** smtp://user:pass@host:port; null disables the e-mail channel */
  smtpUrl: string | null;
  mailFrom: string;
  /** how often a signed ledger digest is appended to the `audit` stream; 0 ms: never (on demand only) */
  auditDigestInterval: DurationSetting;
  /**
   * PERSONAL_DATA_KEY: the master key of reporters' personal data (base64 or hex, ≥ 32 bytes; its format is
   * checked here). null: a development key generated into DATA_DIR (the api refuses null in production).
   */
  personalDataKey: string | null;
  /** where the consequences start when no cut-off is recorded yet: the log's head then, or its beginning */
  consequencesFrom: 'head' | 'beginning';
  /** evidence files: the largest upload, in bytes */
  attachmentMaxBytes: number;
  /** `s3://bucket/prefix?endpoint=…&region=…` for an S3-compatible store; null: the filesystem under DATA_DIR/attachments */
  attachmentStoreUrl: string | null;
  /** an uploaded file never referenced by an event is swept after this long */
  attachmentOrphanGrace: DurationSetting;
}

export interface DurationSetting {
  iso: string;
  ms: number;
}

/** A configuration error names the variable and what is wrong with it, in one line. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** HS256 needs a key at least as long as its output; shorter secrets are guessable offline from one token. */
export const MIN_SECRET_LENGTH = 32;
/** The development JWT secret's file in DATA_DIR (see `resolveJwtSecret`). */
export const DEV_JWT_SECRET_FILE = 'jwt-secret.dev';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function text(env: Env, name: string): string | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number between ${min} and ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function parseDurations(name: string, raw: string, expectedCount?: number): DurationSetting[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (expectedCount !== undefined && parts.length !== expectedCount) {
    throw new ConfigError(
      name,
      `must list exactly ${expectedCount} comma-separated ISO-8601 durations (one per level), got ${parts.length} in "${raw}"`,
    );
  }
  return parts.map((iso) => {
    const duration = Duration.fromISO(iso);
    if (!iso || !duration.isValid)
      throw new ConfigError(
        name,
        `must be comma-separated ISO-8601 durations such as P3D or PT12H; "${iso}" is not one`,
      );
    const ms = duration.as('milliseconds');
    if (ms < 0) throw new ConfigError(name, `must not contain negative durations ("${iso}")`);
    return { iso, ms };
  });
}

/** Everything between `scheme://` and the last `@`: over-masking an odd URL is safer than echoing a password. */
const USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)(.*)@/is;

/** `scheme://user:password@host` with the password (or a lone user token) hidden, for messages. */
export function maskUserinfo(raw: string): string {
  return raw.replace(USERINFO, (_, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(':');
    return `${scheme}${colon < 0 ? '***' : `${userinfo.slice(0, colon)}:***`}@`;
  });
}

function url(env: Env, name: string, fallback: string | null, schemes: string[]): string | null {
  const raw = text(env, name);
  if (raw === undefined) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(
      name,
      `must be a URL (${schemes.map((s) => `${s}//…`).join(' or ')}), got "${maskUserinfo(raw)}"`,
    );
  }
  if (!schemes.includes(parsed.protocol))
    throw new ConfigError(name, `must use ${schemes.join(' or ')}, got "${parsed.protocol}"`);
  return raw;
}

/** Validated by the client's own parser: `new URL` refuses the cluster form `esdb://a:2113,b:2113,c:2113`. */
function eventStoreConnectionString(env: Env): string | null {
  const raw = text(env, 'EVENTSTORE_CONNECTION_STRING');
  if (raw === undefined) return null;
  try {
    parseConnectionString(raw);
  } catch (error) {
    throw new ConfigError(
      'EVENTSTORE_CONNECTION_STRING',
      `must be an EventStoreDB connection string such as esdb://host:2113?tls=true or esdb://a:2113,b:2113,c:2113?tls=true (${
        // the parser quotes what it choked on, which may be part of a password
        USERINFO.test(raw) ? 'it does not parse' : (error as Error).message.split('\n')[0]
      }), got "${maskUserinfo(raw)}"`,
    );
  }
  return raw;
}

/** DATABASE_URL selects the PostgreSQL event store; one store only, so never beside EVENTSTORE_CONNECTION_STRING. */
function databaseUrl(env: Env, eventStore: string | null): string | null {
  const raw = url(env, 'DATABASE_URL', null, ['postgres:', 'postgresql:']);
  if (raw !== null && eventStore !== null)
    throw new ConfigError(
      'DATABASE_URL',
      'and EVENTSTORE_CONNECTION_STRING are mutually exclusive: set one event store',
    );
  return raw;
}

function notificationPolicy(env: Env, cwd: string): NotificationPolicy {
  const raw = text(env, 'NOTIFICATION_POLICY_FILE');
  if (raw === undefined) return DEFAULT_NOTIFICATION_POLICY;
  const file = isAbsolute(raw) ? raw : resolve(cwd, raw);
  try {
    return parseNotificationPolicy(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    throw new ConfigError(
      'NOTIFICATION_POLICY_FILE',
      `must name a readable JSON policy (see the README's notification routing): ${(error as Error).message.split('\n')[0]}`,
    );
  }
}

function queuePrefix(env: Env): string {
  const prefix = text(env, 'QUEUE_PREFIX') ?? 'duban';
  if (!/^[a-z0-9_-]{1,40}$/i.test(prefix))
    throw new ConfigError('QUEUE_PREFIX', `must be letters, digits, - or _ (at most 40; no ':'), got "${prefix}"`);
  return prefix;
}

function duration(env: Env, name: string, fallback: string, minMs: number): number {
  const [setting] = parseDurations(name, text(env, name) ?? fallback);
  if (setting.ms < minMs) throw new ConfigError(name, `must be at least ${minMs} ms, got "${setting.iso}"`);
  return setting.ms;
}

function calendarFile(env: Env, cwd: string): string | null {
  const raw = text(env, 'WORKING_CALENDAR_FILE');
  if (raw === undefined) return null;
  const file = isAbsolute(raw) ? raw : resolve(cwd, raw);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(
      'WORKING_CALENDAR_FILE',
      `must name a readable JSON file (${(error as Error).message.split('\n')[0]})`,
    );
  }
  const ok =
    data !== null &&
    typeof data === 'object' &&
    Object.entries(data as object).every(
      ([year, v]) =>
        !/^\d{4}$/.test(year) ||
        (v &&
          Array.isArray((v as { holidays?: unknown }).holidays) &&
          Array.isArray((v as { workdays?: unknown }).workdays)),
    );
  if (!ok)
    throw new ConfigError(
      'WORKING_CALENDAR_FILE',
      'must map years ("2027") to {"holidays": [...], "workdays": [...]} (see libs/domain/src/calendar/README.md)',
    );
  return file;
}

function auditDigestInterval(env: Env): DurationSetting {
  const raw = text(env, 'AUDIT_DIGEST_INTERVAL') ?? 'PT1H';
  if (raw === '0') return { iso: 'PT0S', ms: 0 };
  if (raw.includes(','))
    throw new ConfigError(
      'AUDIT_DIGEST_INTERVAL',
      `must be one ISO-8601 duration such as PT1H (or 0 to disable), got "${raw}"`,
    );
  const [interval] = parseDurations('AUDIT_DIGEST_INTERVAL', raw);
  if (interval.ms > 0 && interval.ms < 1000)
    throw new ConfigError('AUDIT_DIGEST_INTERVAL', `must be at least one second (PT1S), or 0 to disable, got "${raw}"`);
  if (interval.ms > 2_147_483_647)
    throw new ConfigError('AUDIT_DIGEST_INTERVAL', `must be at most about 24 days (a timer's limit), got "${raw}"`);
  return interval;
}

/**
 * AUTH_JWT_SECRET, required unless NODE_ENV is explicitly development or test: a host that forgets NODE_ENV
 * must not sign with a generated secret. A development secret file already in DATA_DIR is checked here too.
 */
function jwtSecret(env: Env, nodeEnv: DubanConfig['nodeEnv'], dataDir: string): string | null {
  const secret = text(env, 'AUTH_JWT_SECRET') ?? null;
  if (secret !== null) {
    if (secret.length < MIN_SECRET_LENGTH)
      throw new ConfigError(
        'AUTH_JWT_SECRET',
        `must be at least ${MIN_SECRET_LENGTH} characters for HS256, got ${secret.length}`,
      );
    return secret;
  }
  if (text(env, 'NODE_ENV') === undefined)
    throw new ConfigError(
      'AUTH_JWT_SECRET',
      'is required: NODE_ENV is not set, and a generated secret is used only when NODE_ENV is development or test',
    );
  if (nodeEnv === 'production')
    throw new ConfigError(
      'AUTH_JWT_SECRET',
      'is required when NODE_ENV=production (a generated development secret is not acceptable there)',
    );
  checkDevSecretFile(join(dataDir, DEV_JWT_SECRET_FILE));
  return null;
}

/** The development secret file, if one exists, must hold a usable secret (an empty one would verify forged tokens). */
export function checkDevSecretFile(file: string, variable = 'AUTH_JWT_SECRET'): string | null {
  let content: string;
  try {
    content = readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (content.length < MIN_SECRET_LENGTH)
    throw new ConfigError(
      variable,
      `is not set and ${file} holds ${content.length} characters (at least ${MIN_SECRET_LENGTH} needed); delete the file to have a new secret generated`,
    );
  return content;
}

function tokenMaxLifetime(env: Env): DurationSetting {
  const raw = text(env, 'AUTH_TOKEN_MAX_LIFETIME') ?? 'P1D';
  if (raw.includes(','))
    throw new ConfigError('AUTH_TOKEN_MAX_LIFETIME', `must be one ISO-8601 duration such as P1D or PT8H, got "${raw}"`);
  const [lifetime] = parseDurations('AUTH_TOKEN_MAX_LIFETIME', raw);
  if (lifetime.ms < 60_000)
    throw new ConfigError('AUTH_TOKEN_MAX_LIFETIME', `must be at least one minute (PT1M), got "${raw}"`);
  return lifetime;
}

/** Reads and validates the environment. Throws ConfigError on the first bad variable. */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): DubanConfig {
  const nodeEnv = nodeEnvOf(env);
  const dataDirRaw = text(env, 'DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const secret = jwtSecret(env, nodeEnv, dataDir);
  const { reminders, escalations } = deadlinePolicy(env);
  const tz = timeZone(env);
  const logLevel = logLevelOf(env, nodeEnv);
  const eventStore = eventStoreConnectionString(env);
  const workerName = workerNameOf(env);
  const { progressRequestDay, progressDueDay } = progressDays(env);
  const webhookSecret = webhookSecretOf(env);

  return {
    nodeEnv,
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: text(env, 'HOST') ?? '0.0.0.0',
    dataDir,
    eventStoreConnectionString: eventStore,
    databaseUrl: databaseUrl(env, eventStore),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!,
    authJwtSecret: secret,
    authTokenMaxLifetime: tokenMaxLifetime(env),
    authIssuer: text(env, 'AUTH_ISSUER') ?? null,
    authAudience: text(env, 'AUTH_AUDIENCE') ?? null,
    deadlineReminders: [...reminders].sort((a, b) => b.ms - a.ms),
    deadlineEscalations: escalations,
    tzAgency: tz,
    logLevel,
    metricsToken: text(env, 'METRICS_TOKEN') ?? null,
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, 600_000),
    workingCalendarFile: calendarFile(env, cwd),
    queuePrefix: queuePrefix(env),
    workerName,
    workerMetricsPort:
      text(env, 'WORKER_METRICS_PORT') === undefined ? null : integer(env, 'WORKER_METRICS_PORT', 0, 1, 65535),
    workerConcurrency: integer(env, 'WORKER_CONCURRENCY', 32, 1, 1000),
    reconcileIntervalMs: duration(env, 'RECONCILE_INTERVAL', 'PT10M', 1000),
    progressRequestDay,
    progressRequestHour: integer(env, 'PROGRESS_REQUEST_HOUR', 9, 0, 23),
    progressDueDay,
    notificationPolicy: notificationPolicy(env, cwd),
    webhookSigningSecret: webhookSecret,
    webhookTimeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100, 120_000),
    notifyMaxAttempts: integer(env, 'NOTIFY_MAX_ATTEMPTS', 8, 1, 50),
    notifyBackoffMs: integer(env, 'NOTIFY_BACKOFF_MS', 5_000, 1, 3_600_000),
    smtpUrl: url(env, 'SMTP_URL', null, ['smtp:', 'smtps:']),
    mailFrom: text(env, 'MAIL_FROM') ?? 'Duban 督办 <duban@localhost>',
    auditDigestInterval: auditDigestInterval(env),
    personalDataKey: personalDataKey(env),
    consequencesFrom: consequencesFrom(env),
    attachmentMaxBytes: integer(env, 'ATTACHMENT_MAX_BYTES', 50 * 1024 * 1024, 1, 16 * 1024 * 1024 * 1024),
    attachmentStoreUrl: attachmentStoreUrl(env),
    attachmentOrphanGrace: attachmentOrphanGrace(env),
  };
}

/** `s3://bucket[/prefix][?endpoint=https://…&region=…&forcePathStyle=true]`: MinIO, Ceph RGW and the domestic object stores. */
function attachmentStoreUrl(env: Env): string | null {
  const raw = url(env, 'ATTACHMENT_STORE_URL', null, ['s3:']);
  if (raw === null) return null;
  const parsed = new URL(raw);
  if (!parsed.hostname)
    throw new ConfigError(
      'ATTACHMENT_STORE_URL',
      `must name a bucket (s3://bucket/prefix), got "${maskUserinfo(raw)}"`,
    );
  const endpoint = parsed.searchParams.get('endpoint');
  if (endpoint !== null && !/^https?:\/\/[^/]/i.test(endpoint))
    throw new ConfigError('ATTACHMENT_STORE_URL', `endpoint must be an http(s) URL, got "${maskUserinfo(endpoint)}"`);
  return raw;
}

/** At least a minute: a file is uploaded before the command that references it. */
function attachmentOrphanGrace(env: Env): DurationSetting {
  const raw = text(env, 'ATTACHMENT_ORPHAN_GRACE') ?? 'P1D';
  const [grace] = parseDurations('ATTACHMENT_ORPHAN_GRACE', raw);
  if (grace.ms < 60_000)
    throw new ConfigError('ATTACHMENT_ORPHAN_GRACE', `must be at least one minute (PT1M), got "${raw}"`);
  return grace;
}

/** PERSONAL_DATA_KEY's format: hex (an even number of digits) or base64/base64url, at least 32 bytes decoded. */
function personalDataKey(env: Env): string | null {
  const raw = text(env, 'PERSONAL_DATA_KEY');
  if (raw === undefined) return null;
  const hex = /^[0-9a-fA-F]+$/.test(raw) && raw.length % 2 === 0;
  if (!hex && !/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw))
    throw new ConfigError('PERSONAL_DATA_KEY', 'must be base64 or hex');
  const bytes = hex ? raw.length / 2 : Buffer.from(raw, 'base64').length;
  if (bytes < 32)
    throw new ConfigError(
      'PERSONAL_DATA_KEY',
      `must decode to at least 32 bytes (base64 or hex), got ${bytes}; e.g. openssl rand -base64 32`,
    );
  return raw;
}

function nodeEnvOf(env: Env): DubanConfig['nodeEnv'] {
  const nodeEnv = text(env, 'NODE_ENV') ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError('NODE_ENV', `must be development, production or test, got "${nodeEnv}"`);
  }
  return nodeEnv as DubanConfig['nodeEnv'];
}

/** Reminders before the deadline, and one escalation per level after it, increasing. */
function deadlinePolicy(env: Env) {
  const reminders = parseDurations('DEADLINE_REMINDERS', text(env, 'DEADLINE_REMINDERS') ?? 'P3D,P1D,PT0S');
  const escalations = parseDurations(
    'DEADLINE_ESCALATIONS',
    text(env, 'DEADLINE_ESCALATIONS') ?? 'PT0S,P7D,P15D,P30D',
    4,
  );
  for (let i = 1; i < escalations.length; i++) {
    if (escalations[i].ms <= escalations[i - 1].ms) {
      throw new ConfigError(
        'DEADLINE_ESCALATIONS',
        `must increase from level 1 to 4 ("${escalations[i].iso}" is not after "${escalations[i - 1].iso}")`,
      );
    }
  }
  return { reminders, escalations };
}

function timeZone(env: Env): string {
  const tz = text(env, 'TZ_AGENCY') ?? 'Asia/Shanghai';
  if (!IANAZone.isValidZone(tz))
    throw new ConfigError('TZ_AGENCY', `must be an IANA time zone such as Asia/Shanghai, got "${tz}"`);
  return tz;
}

function logLevelOf(env: Env, nodeEnv: DubanConfig['nodeEnv']): DubanConfig['logLevel'] {
  const logLevel = (text(env, 'LOG_LEVEL') ?? (nodeEnv === 'test' ? 'silent' : 'info')) as DubanConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  return logLevel;
}

function consequencesFrom(env: Env): DubanConfig['consequencesFrom'] {
  const from = text(env, 'CONSEQUENCES_FROM') ?? 'head';
  if (from !== 'head' && from !== 'beginning')
    throw new ConfigError('CONSEQUENCES_FROM', `must be head or beginning, got "${from}"`);
  return from;
}

function workerNameOf(env: Env): string {
  const workerName = text(env, 'WORKER_NAME') ?? 'worker';
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/i.test(workerName))
    throw new ConfigError('WORKER_NAME', `must be letters, digits, - or _ (at most 40), got "${workerName}"`);
  return workerName;
}

/** 按月上报: the day the request goes out and the day the report is due, in that order. */
function progressDays(env: Env) {
  const progressRequestDay = integer(env, 'PROGRESS_REQUEST_DAY', 1, 1, 28);
  const progressDueDay = integer(env, 'PROGRESS_DUE_DAY', 10, 1, 28);
  if (progressDueDay <= progressRequestDay)
    throw new ConfigError(
      'PROGRESS_DUE_DAY',
      `must come after PROGRESS_REQUEST_DAY (${progressRequestDay}), got ${progressDueDay}`,
    );
  return { progressRequestDay, progressDueDay };
}

function webhookSecretOf(env: Env): string | null {
  const webhookSecret = text(env, 'WEBHOOK_SIGNING_SECRET') ?? null;
  if (webhookSecret !== null && webhookSecret.length < MIN_SECRET_LENGTH)
    throw new ConfigError(
      'WEBHOOK_SIGNING_SECRET',
      `must be at least ${MIN_SECRET_LENGTH} characters, got ${webhookSecret.length}`,
    );
  return webhookSecret;
}

/** For a process's main(): the validated configuration, or one line on stderr and exit code 1. */
export function loadConfigOrExit(processName: string, env: Env = process.env): DubanConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${processName}: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
