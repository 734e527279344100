import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, DEV_JWT_SECRET_FILE, loadConfig } from './config';
import { resolveJwtSecret, resolveWebhookSecret } from './jwt-secret';

const DEV = { NODE_ENV: 'development' };

function refusal(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError, got none');
}

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig(DEV, '/nonexistent-srv');
    expect(config).toMatchObject({
      port: 3000,
      dataDir: '/nonexistent-srv/data',
      eventStoreConnectionString: null,
      redisUrl: 'redis://127.0.0.1:6379',
      authJwtSecret: null,
      authTokenMaxLifetime: { iso: 'P1D', ms: 86_400_000 },
      authIssuer: null,
      authAudience: null,
      tzAgency: 'Asia/Shanghai',
    });
    expect(config.deadlineReminders.map((d) => d.iso)).toEqual(['P3D', 'P1D', 'PT0S']);
    expect(config.deadlineEscalations.map((d) => d.ms)).toEqual([0, 7, 15, 30].map((d) => d * 86_400_000));
  });

  it.each([
    ['PORT', { PORT: 'abc' }, /PORT must be a whole number/],
    ['PORT', { PORT: '70000' }, /PORT must be between 0 and 65535/],
    ['REDIS_URL', { REDIS_URL: 'http://x' }, /REDIS_URL must use redis: or rediss:/],
    ['REDIS_URL', { REDIS_URL: 'not a url' }, /REDIS_URL must be a URL/],
    [
      'EVENTSTORE_CONNECTION_STRING',
      { EVENTSTORE_CONNECTION_STRING: 'http://x' },
      /EVENTSTORE_CONNECTION_STRING must be an EventStoreDB connection string .*expected esdb:\/\//,
    ],
    [
      'EVENTSTORE_CONNECTION_STRING',
      { EVENTSTORE_CONNECTION_STRING: 'garbage' },
      /EVENTSTORE_CONNECTION_STRING must be an EventStoreDB connection string/,
    ],
    [
      'AUTH_JWT_SECRET',
      {},
      /AUTH_JWT_SECRET is required: NODE_ENV is not set, and a generated secret is used only when NODE_ENV is development or test/,
    ],
    [
      'AUTH_TOKEN_MAX_LIFETIME',
      { AUTH_TOKEN_MAX_LIFETIME: 'forever' },
      /AUTH_TOKEN_MAX_LIFETIME .*"forever" is not one/,
    ],
    [
      'AUTH_TOKEN_MAX_LIFETIME',
      { AUTH_TOKEN_MAX_LIFETIME: 'PT10S' },
      /AUTH_TOKEN_MAX_LIFETIME must be at least one minute/,
    ],
    ['AUTH_JWT_SECRET', { AUTH_JWT_SECRET: 'short' }, /AUTH_JWT_SECRET must be at least 32 characters/],
    ['AUTH_JWT_SECRET', { NODE_ENV: 'production' }, /AUTH_JWT_SECRET is required when NODE_ENV=production/],
    ['DEADLINE_REMINDERS', { DEADLINE_REMINDERS: 'P3D,soon' }, /DEADLINE_REMINDERS .*"soon" is not one/],
    ['DEADLINE_ESCALATIONS', { DEADLINE_ESCALATIONS: 'PT0S,P7D' }, /DEADLINE_ESCALATIONS must list exactly 4/],
    ['DEADLINE_ESCALATIONS', { DEADLINE_ESCALATIONS: 'PT0S,P7D,P3D,P30D' }, /DEADLINE_ESCALATIONS must increase/],
    ['TZ_AGENCY', { TZ_AGENCY: 'Mars/Olympus' }, /TZ_AGENCY must be an IANA time zone/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    ['QUEUE_PREFIX', { QUEUE_PREFIX: 'a:b' }, /QUEUE_PREFIX must be letters, digits/],
    ['WORKER_NAME', { WORKER_NAME: '../x' }, /WORKER_NAME must be letters/],
    ['CONSEQUENCES_FROM', { CONSEQUENCES_FROM: 'yesterday' }, /CONSEQUENCES_FROM must be head or beginning/],
    ['RECONCILE_INTERVAL', { RECONCILE_INTERVAL: 'PT0.1S' }, /RECONCILE_INTERVAL must be at least 1000 ms/],
    [
      'PROGRESS_DUE_DAY',
      { PROGRESS_REQUEST_DAY: '10', PROGRESS_DUE_DAY: '5' },
      /PROGRESS_DUE_DAY must come after PROGRESS_REQUEST_DAY/,
    ],
    ['PROGRESS_REQUEST_DAY', { PROGRESS_REQUEST_DAY: '31' }, /PROGRESS_REQUEST_DAY must be between 1 and 28/],
    ['WEBHOOK_SIGNING_SECRET', { WEBHOOK_SIGNING_SECRET: 'short' }, /at least 32 characters/],
    ['SMTP_URL', { SMTP_URL: 'http://mail' }, /SMTP_URL must use smtp: or smtps:/],
    [
      'NOTIFICATION_POLICY_FILE',
      { NOTIFICATION_POLICY_FILE: '/nonexistent/policy.json' },
      /NOTIFICATION_POLICY_FILE must name a readable JSON policy/,
    ],
    ['AUDIT_DIGEST_INTERVAL', { AUDIT_DIGEST_INTERVAL: 'hourly' }, /AUDIT_DIGEST_INTERVAL .*"hourly" is not one/],
    [
      'AUDIT_DIGEST_INTERVAL',
      { AUDIT_DIGEST_INTERVAL: 'PT1H,PT2H' },
      /AUDIT_DIGEST_INTERVAL must be one ISO-8601 duration/,
    ],
    ['AUDIT_DIGEST_INTERVAL', { AUDIT_DIGEST_INTERVAL: 'PT0.1S' }, /AUDIT_DIGEST_INTERVAL must be at least one second/],
    ['AUDIT_DIGEST_INTERVAL', { AUDIT_DIGEST_INTERVAL: 'P30D' }, /AUDIT_DIGEST_INTERVAL must be at most/],
  ])('refuses a bad %s with one line naming it', (variable, env, message) => {
    const withDefaults = 'NODE_ENV' in env || Object.keys(env).length === 0 ? env : { ...DEV, ...env };
    const error = refusal(() => loadConfig(withDefaults as Record<string, string>, '/nonexistent-srv'));
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('DATABASE_URL selects PostgreSQL, never beside EVENTSTORE_CONNECTION_STRING', () => {
    const url = 'postgres://duban:pw@db:5432/duban';
    expect(loadConfig({ ...DEV, DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(loadConfig(DEV).databaseUrl).toBeNull();
    expect(() => loadConfig({ ...DEV, DATABASE_URL: url, EVENTSTORE_CONNECTION_STRING: 'esdb://a:2113' })).toThrow(
      /DATABASE_URL and EVENTSTORE_CONNECTION_STRING are mutually exclusive/,
    );
    expect(() => loadConfig({ ...DEV, DATABASE_URL: 'mysql://x/y' })).toThrow(/DATABASE_URL must use postgres:/);
  });

  it('accepts the documented cluster connection string and the DNS-discovery form', () => {
    for (const value of ['esdb://a:2113,b:2113,c:2113?tls=true', 'esdb+discover://cluster.internal:2113?tls=true'])
      expect(loadConfig({ ...DEV, EVENTSTORE_CONNECTION_STRING: value }).eventStoreConnectionString).toBe(value);
  });

  it.each([
    ['REDIS_URL', 'redis://:hunter2-redis-password@', 'not a url at all'],
    ['SMTP_URL', 'smtp://mailer:hunter2-smtp-password@', 'mail example.org:25'],
    ['EVENTSTORE_CONNECTION_STRING', 'tcp://admin:hunter2-esdb-password@', 'a:2113,b:2113'],
    ['EVENTSTORE_CONNECTION_STRING', 'esdb://admin:hunter2-es"db-password@', 'a:2113?tls=maybe'],
    ['REDIS_URL', 'redis://:hunter2-with/slash@and@', 'host:6379 bad'],
  ])('a bad %s never echoes the password inside it', (variable, prefix, rest) => {
    const error = refusal(() => loadConfig({ ...DEV, [variable]: prefix + rest }));
    expect(error.variable).toBe(variable);
    expect(error.message).not.toMatch(/hunter2|password|slash|and@/);
    expect(error.message).toContain('***');
  });

  describe('the development JWT secret', () => {
    let dataDir: string;
    beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'duban-secret-'))));
    afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

    it('is generated once into DATA_DIR, at least 32 characters, and read back the same', () => {
      const config = loadConfig({ ...DEV, DATA_DIR: dataDir });
      const first = resolveJwtSecret(config);
      expect(first.length).toBeGreaterThanOrEqual(32);
      expect(resolveJwtSecret(config)).toBe(first);
    });

    it.each([
      ['an empty', ''],
      ['a short', 'x'.repeat(31)],
    ])('%s secret file is refused in one line, by loadConfig and by resolveJwtSecret', (_, content) => {
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(join(dataDir, DEV_JWT_SECRET_FILE), content);
      const byConfig = refusal(() => loadConfig({ ...DEV, DATA_DIR: dataDir }));
      expect(byConfig.message).toMatch(/AUTH_JWT_SECRET is not set and .* holds \d+ characters \(at least 32 needed\)/);
      expect(byConfig.message).not.toContain('\n');
      const byResolver = refusal(() => resolveJwtSecret({ authJwtSecret: null, dataDir }));
      expect(byResolver.message).toBe(byConfig.message);
    });

    it('is never generated when NODE_ENV is unset, even with a DATA_DIR', () => {
      expect(refusal(() => loadConfig({ DATA_DIR: dataDir })).variable).toBe('AUTH_JWT_SECRET');
      expect(loadConfig({ DATA_DIR: dataDir, AUTH_JWT_SECRET: 's'.repeat(32) }).authJwtSecret).toBe('s'.repeat(32));
    });
  });

  it('accepts test-speed policies and sorts reminders largest first', () => {
    const config = loadConfig({
      ...DEV,
      DEADLINE_REMINDERS: 'PT0S,PT4S,PT2S',
      DEADLINE_ESCALATIONS: 'PT0S,PT2S,PT4S,PT6S',
      TZ_AGENCY: 'Europe/Berlin',
    });
    expect(config.deadlineReminders.map((d) => d.ms)).toEqual([4000, 2000, 0]);
    expect(config.tzAgency).toBe('Europe/Berlin');
  });

  it('the consequences start from the head of the log unless told to start from its beginning', () => {
    expect(loadConfig(DEV).consequencesFrom).toBe('head');
    expect(loadConfig({ ...DEV, CONSEQUENCES_FROM: 'beginning' }).consequencesFrom).toBe('beginning');
  });

  it('appends ledger digests hourly by default; 0 or PT0S turns it off', () => {
    expect(loadConfig(DEV).auditDigestInterval).toEqual({ iso: 'PT1H', ms: 3_600_000 });
    expect(loadConfig({ ...DEV, AUDIT_DIGEST_INTERVAL: 'PT15M' }).auditDigestInterval.ms).toBe(900_000);
    expect(loadConfig({ ...DEV, AUDIT_DIGEST_INTERVAL: '0' }).auditDigestInterval.ms).toBe(0);
    expect(loadConfig({ ...DEV, AUDIT_DIGEST_INTERVAL: 'PT0S' }).auditDigestInterval.ms).toBe(0);
  });

  it('evidence files: 50 MB and the filesystem by default; a bad size, store URL or grace stops the start', () => {
    const config = loadConfig(DEV);
    expect(config.attachmentMaxBytes).toBe(50 * 1024 * 1024);
    expect(config.attachmentStoreUrl).toBeNull();
    expect(config.attachmentOrphanGrace.ms).toBe(86_400_000);
    const s3 = 's3://evidence/duban?endpoint=http://minio:9000&region=cn-north-1';
    expect(loadConfig({ ...DEV, ATTACHMENT_STORE_URL: s3 }).attachmentStoreUrl).toBe(s3);
    expect(() => loadConfig({ ...DEV, ATTACHMENT_MAX_BYTES: '50MB' })).toThrow(
      /ATTACHMENT_MAX_BYTES must be a whole number/,
    );
    expect(() => loadConfig({ ...DEV, ATTACHMENT_STORE_URL: 'ftp://x/y' })).toThrow(
      /ATTACHMENT_STORE_URL must use s3:/,
    );
    expect(() => loadConfig({ ...DEV, ATTACHMENT_STORE_URL: 's3://b?endpoint=minio' })).toThrow(
      /ATTACHMENT_STORE_URL endpoint must be an http\(s\) URL/,
    );
    expect(() => loadConfig({ ...DEV, ATTACHMENT_ORPHAN_GRACE: 'PT5S' })).toThrow(
      /ATTACHMENT_ORPHAN_GRACE must be at least/,
    );
  });

  it('the worker needs WEBHOOK_SIGNING_SECRET in production (the API does not sign webhooks)', () => {
    const config = loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) });
    expect(() => resolveWebhookSecret(config)).toThrow(/WEBHOOK_SIGNING_SECRET is required when NODE_ENV=production/);
    expect(resolveWebhookSecret({ ...config, webhookSigningSecret: 'w'.repeat(32) })).toBe('w'.repeat(32));
  });
});
