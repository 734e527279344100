import { ConfigError, loadConfig } from './config';
import { resolveWebhookSecret } from './jwt-secret';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({}, '/srv');
    expect(config).toMatchObject({
      port: 3000,
      dataDir: '/srv/data',
      eventStoreConnectionString: null,
      redisUrl: 'redis://127.0.0.1:6379',
      authJwtSecret: null,
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
      /EVENTSTORE_CONNECTION_STRING must use esdb:/,
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
    let error: unknown;
    try {
      loadConfig(env as Record<string, string>);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('accepts test-speed policies and sorts reminders largest first', () => {
    const config = loadConfig({
      DEADLINE_REMINDERS: 'PT0S,PT4S,PT2S',
      DEADLINE_ESCALATIONS: 'PT0S,PT2S,PT4S,PT6S',
      TZ_AGENCY: 'Europe/Berlin',
    });
    expect(config.deadlineReminders.map((d) => d.ms)).toEqual([4000, 2000, 0]);
    expect(config.tzAgency).toBe('Europe/Berlin');
  });

  it('appends ledger digests hourly by default; 0 or PT0S turns it off', () => {
    expect(loadConfig({}).auditDigestInterval).toEqual({ iso: 'PT1H', ms: 3_600_000 });
    expect(loadConfig({ AUDIT_DIGEST_INTERVAL: 'PT15M' }).auditDigestInterval.ms).toBe(900_000);
    expect(loadConfig({ AUDIT_DIGEST_INTERVAL: '0' }).auditDigestInterval.ms).toBe(0);
    expect(loadConfig({ AUDIT_DIGEST_INTERVAL: 'PT0S' }).auditDigestInterval.ms).toBe(0);
  });

  it('the worker needs WEBHOOK_SIGNING_SECRET in production (the API does not sign webhooks)', () => {
    const config = loadConfig({ NODE_ENV: 'production', AUTH_JWT_SECRET: 'x'.repeat(32) });
    expect(() => resolveWebhookSecret(config)).toThrow(/WEBHOOK_SIGNING_SECRET is required when NODE_ENV=production/);
    expect(resolveWebhookSecret({ ...config, webhookSigningSecret: 'w'.repeat(32) })).toBe('w'.repeat(32));
  });
});
