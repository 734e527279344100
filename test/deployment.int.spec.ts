import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { loadConfig } from '@duban/config';
import { freePort } from './support/redis';
import { tempDir } from './support/temp-dir';
import { waitUntil } from './support/wait';

/**
 * The compose stack cannot be started on the machines this project is built on (no Docker engine), so
 * its files are checked here: docker-compose.yml as data, the secret and Redis start scripts by running
 * them (Redis for real, with the project's redis.conf and the ACL the script writes).
 */
const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Service {
  image?: string;
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string>;
  env_file?: string[];
  volumes?: string[];
  secrets?: string[];
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
  stop_grace_period?: string;
  entrypoint?: string[];
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
};
const services = compose.services;
const EVENTSTORE_NODES = ['eventstore', 'eventstore-node1', 'eventstore-node2', 'eventstore-node3'];
const APPS = ['api', 'worker'];

const envFile = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
const seconds = (duration: string) => {
  const match = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!match) throw new Error(`unreadable duration ${duration}`);
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60 }[match[2] as 'ms' | 's' | 'm'];
};

describe('deployment: docker-compose.yml and infra/', () => {
  it('only API nodes publish a port: Redis, EventStoreDB, PostgreSQL and the worker metrics stay on the compose network', () => {
    const publishing = Object.entries(services)
      .filter(([, s]) => s.ports?.length)
      .map(([name]) => name);
    // the api, and the two API nodes of the postgres profile (each on its own host port, container port 3000)
    expect(publishing).toEqual(['api', 'api-pg-1', 'api-pg-2']);
    expect(services.api.ports).toEqual(['${PORT:-3000}:3000']);
    for (const node of ['api-pg-1', 'api-pg-2'])
      expect(services[node].ports).toEqual([expect.stringMatching(/:3000$/)]);
    expect(services.worker.environment?.WORKER_METRICS_PORT).toBe('9464');
  });

  it('Redis: no published port, the password from a compose secret, protected mode on, a memory ceiling with noeviction', () => {
    const redis = services.redis;
    expect(redis.ports).toBeUndefined();
    expect(redis.secrets).toEqual(['redis_password']);
    expect(compose.secrets.redis_password.file).toBe('./infra/secrets/redis_password');
    const conf = read('infra/redis/redis.conf');
    expect(conf).toMatch(/^protected-mode yes$/m);
    expect(conf).not.toMatch(/protected-mode no/);
    expect(conf).toMatch(/^maxmemory [1-9]\d*[kmg]b$/m);
    expect(conf).toMatch(/^maxmemory-policy noeviction$/m);
    expect(conf).not.toMatch(/^requirepass/m); // the password is never in a committed file
    expect(read('infra/secrets/.gitignore')).toMatch(/^\*$/m);
  });

  it('EventStoreDB: secure mode with certificates from a one-shot es-gencert-cli service, AtomPub off, no port, credentials from an uncommitted file; the cluster the same', () => {
    const certs = services['eventstore-certs'];
    expect(certs.image).toMatch(/^eventstore\/es-gencert-cli:/);
    expect(services.eventstore.profiles).toBeUndefined();
    for (const name of EVENTSTORE_NODES) {
      const node = services[name];
      const env = node.environment!;
      expect({ name, insecure: env.EVENTSTORE_INSECURE ?? 'false' }).toEqual({ name, insecure: 'false' });
      expect(env.EVENTSTORE_ENABLE_ATOM_PUB_OVER_HTTP).toBe('false');
      expect(env.EVENTSTORE_CERTIFICATE_FILE).toBe(`/certs/${name}/node.crt`);
      expect(env.EVENTSTORE_CERTIFICATE_PRIVATE_KEY_FILE).toBe(`/certs/${name}/node.key`);
      expect(env.EVENTSTORE_TRUSTED_ROOT_CERTIFICATES_PATH).toBe('/certs/ca');
      expect(node.ports).toBeUndefined();
      expect(node.env_file).toEqual(['infra/secrets/eventstore.env']);
      expect(node.depends_on?.['eventstore-certs']).toEqual({ condition: 'service_completed_successfully' });
      expect(node.volumes).toContain('eventstore-certs:/certs:ro');
    }
    const script = read('infra/eventstore/make-certs.sh');
    for (const name of EVENTSTORE_NODES) expect(script).toContain(name);
    // the apps trust the CA but never see a private key
    for (const app of APPS) expect(services[app].volumes).toEqual(['duban-data:/data', 'eventstore-ca:/certs/ca:ro']);
  });

  it('api and worker share one DATA_DIR volume, so one audit signing key signs and verifies', () => {
    const dataVolume = (app: string) => services[app].volumes!.find((v) => v.endsWith(':/data'));
    expect(dataVolume('api')).toBe('duban-data:/data');
    expect(dataVolume('worker')).toBe(dataVolume('api'));
    for (const app of APPS) expect(services[app].environment?.DATA_DIR).toBe('/data');
  });

  it('the stop grace period outlasts SHUTDOWN_TIMEOUT_MS, so the apps stop themselves before SIGKILL', () => {
    for (const app of APPS) {
      const timeoutMs = Number(services[app].environment?.SHUTDOWN_TIMEOUT_MS);
      expect(timeoutMs).toBeGreaterThan(0);
      expect(seconds(services[app].stop_grace_period!)).toBeGreaterThan(timeoutMs / 1000 + 5);
    }
  });

  it('the image installs exactly the lock file (npm ci), and secrets never enter the build context', () => {
    const dockerfile = read('infra/Dockerfile');
    expect(dockerfile).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile).not.toMatch(/npm install/);
    expect(read('.dockerignore').split('\n')).toEqual(expect.arrayContaining(['infra/secrets', '.env']));
  });

  it('make-secrets.sh writes one consistent, random set the config accepts (single node and cluster) and never overwrites it', () => {
    const dir = tempDir('duban-secrets-');
    try {
      const single = join(dir.path, 'single');
      execFileSync('sh', [join(ROOT, 'infra/make-secrets.sh'), single], { stdio: 'pipe' });
      const app = envFile(readFileSync(join(single, 'app.env'), 'utf8'));
      const esdb = envFile(readFileSync(join(single, 'eventstore.env'), 'utf8'));
      const redisPassword = readFileSync(join(single, 'redis_password'), 'utf8').trim();
      expect(redisPassword).toMatch(/^[0-9a-f]{64}$/);
      expect(app.REDIS_URL).toBe(`redis://duban:${redisPassword}@redis:6379`);
      expect(app.EVENTSTORE_CONNECTION_STRING).toBe(
        `esdb://admin:${esdb.EVENTSTORE_DEFAULT_ADMIN_PASSWORD}@eventstore:2113?tls=true&tlsCAFile=/certs/ca/ca.crt`,
      );
      expect(esdb.EVENTSTORE_DEFAULT_OPS_PASSWORD).toMatch(/^[0-9a-f]{64}$/);
      expect(new Set([app.AUTH_JWT_SECRET, app.WEBHOOK_SIGNING_SECRET, redisPassword]).size).toBe(3);
      const config = loadConfig({ ...app, NODE_ENV: 'production', DATA_DIR: dir.path });
      expect(config.redisUrl).toBe(app.REDIS_URL);
      expect(() => execFileSync('sh', [join(ROOT, 'infra/make-secrets.sh'), single], { stdio: 'pipe' })).toThrow(
        /exists/,
      );

      const cluster = join(dir.path, 'cluster');
      execFileSync('sh', [join(ROOT, 'infra/make-secrets.sh'), '--cluster', cluster], { stdio: 'pipe' });
      const clusterApp = envFile(readFileSync(join(cluster, 'app.env'), 'utf8'));
      expect(clusterApp.EVENTSTORE_CONNECTION_STRING).toMatch(
        /@eventstore-node1:2113,eventstore-node2:2113,eventstore-node3:2113\?tls=true/,
      );
      expect(loadConfig({ ...clusterApp, NODE_ENV: 'production', DATA_DIR: dir.path }).eventStoreConnectionString).toBe(
        clusterApp.EVENTSTORE_CONNECTION_STRING,
      );
    } finally {
      dir.remove();
    }
  });

  describe('Redis started by infra/redis/start-redis.sh with infra/redis/redis.conf', () => {
    const dir = tempDir('duban-redis-acl-');
    const password = 'p'.repeat(20) + 'a1b2c3d4e5f6a7b8c9d0';
    let port: number;
    let server: ChildProcess;
    const clients: Redis[] = [];
    const client = (options: { username?: string; password?: string } = {}) => {
      const redis = new Redis({
        port,
        host: '127.0.0.1',
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        ...options,
      });
      redis.on('error', () => undefined); // refusals are asserted on the commands
      clients.push(redis);
      return redis;
    };

    beforeAll(async () => {
      port = await freePort();
      writeFileSync(join(dir.path, 'redis_password'), `${password}\n`);
      server = spawn(
        'sh',
        [
          join(ROOT, 'infra/redis/start-redis.sh'),
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir.path,
          '--appendonly',
          'no',
        ],
        {
          env: {
            ...process.env,
            REDIS_PASSWORD_FILE: join(dir.path, 'redis_password'),
            REDIS_ACL_FILE: join(dir.path, 'users.acl'),
            REDIS_CONF: join(ROOT, 'infra/redis/redis.conf'),
            REDIS_LAUNCHER: 'env',
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let out = '';
      server.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      server.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      await waitUntil(() => out.includes('Ready to accept connections') || server.exitCode !== null, 'redis to start');
      if (server.exitCode !== null) throw new Error(`redis did not start:\n${out}`);
    });

    afterAll(async () => {
      for (const redis of clients) {
        if (redis.status === 'ready') await redis.quit();
        else if (redis.status !== 'end') redis.disconnect();
      }
      if (server?.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        await exited;
      }
      dir.remove();
    });

    it('refuses a client without the password, and the default user even with it', async () => {
      await expect(client().ping()).rejects.toThrow(/NOAUTH/);
      await expect(client({ password }).ping()).rejects.toThrow(/WRONGPASS|invalid username-password/);
      await expect(client({ username: 'duban', password: 'wrong'.repeat(8) }).ping()).rejects.toThrow(
        /WRONGPASS|invalid username-password/,
      );
      expect(readFileSync(join(dir.path, 'users.acl'), 'utf8')).not.toContain(password);
    });

    it('the duban user works, with protected mode, the memory ceiling and noeviction in force; FLUSHALL and CONFIG SET are refused', async () => {
      const duban = client({ username: 'duban', password });
      expect(await duban.ping()).toBe('PONG');
      expect(await duban.config('GET', 'protected-mode')).toEqual(['protected-mode', 'yes']);
      const [, maxmemory] = (await duban.config('GET', 'maxmemory')) as [string, string];
      expect(Number(maxmemory)).toBeGreaterThan(0);
      expect(await duban.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      await expect(duban.flushall()).rejects.toThrow(/NOPERM/);
      await expect(duban.config('SET', 'maxmemory-policy', 'allkeys-lru')).rejects.toThrow(/NOPERM/);
    });

    it('BullMQ runs a job through it as the duban user', async () => {
      const connection = { host: '127.0.0.1', port, username: 'duban', password, maxRetriesPerRequest: null };
      const queue = new Queue('deployment-check', { connection });
      let done = '';
      const worker = new Worker(
        'deployment-check',
        async (job) => {
          done = job.data.hello;
        },
        { connection },
      );
      try {
        await queue.add('ping', { hello: 'world' });
        await waitUntil(() => done === 'world', 'the job to run');
      } finally {
        await worker.close();
        await queue.close();
      }
    });

    it('a short password stops the script before Redis starts', () => {
      const short = join(dir.path, 'short');
      writeFileSync(short, 'changeit\n');
      expect(() =>
        execFileSync('sh', [join(ROOT, 'infra/redis/start-redis.sh')], {
          env: { ...process.env, REDIS_PASSWORD_FILE: short, REDIS_LAUNCHER: 'false' },
          stdio: 'pipe',
        }),
      ).toThrow(/at least 32 characters/);
    });
  });
});
