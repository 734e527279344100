#!/usr/bin/env node
// `npm start`: runs the API and the worker with the embedded event store in DATA_DIR.
// When no Redis answers at REDIS_URL and the URL is local, starts a redis-server for local use
// (persistent under DATA_DIR/redis, noeviction); otherwise says how to get one and stops.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const net = require('node:net');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
// `npm start` is the local way to run Duban: say so, since the api refuses a generated secret when NODE_ENV is unset
if (!process.env.NODE_ENV) process.env.NODE_ENV = 'development';
const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const dataDir = path.resolve(process.env.DATA_DIR || './data');
const log = (msg, extra = {}) =>
  process.stdout.write(
    JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'duban-start', msg, ...extra }) + '\n',
  );
const fail = (msg) => {
  process.stderr.write(`duban: ${msg}\n`);
  process.exit(1);
};

function redisAnswers(url) {
  return new Promise((resolve) => {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      return resolve(false);
    }
    const socket = net.connect({ host: parsed.hostname, port: Number(parsed.port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    // +PONG, or -NOAUTH when a password is needed: either way a Redis is there
    socket.on('data', (d) => done(/^[+-]/.test(d.toString())));
  });
}

async function ensureRedis() {
  if (await redisAnswers(redisUrl)) return null;
  const { hostname, port } = new URL(redisUrl);
  const local = ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname);
  const hasBinary = spawnSync('sh', ['-c', 'command -v redis-server'], { stdio: 'ignore' }).status === 0;
  if (!local || !hasBinary) {
    fail(
      `no Redis answers at ${redisUrl}. Start one with \`docker compose up -d redis\`, or install your distribution's ` +
        `redis-server package (Debian/Ubuntu: apt-get install -y redis-server) and run \`npm start\` again, or set REDIS_URL.`,
    );
  }
  const dir = path.join(dataDir, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  log('no Redis answered; starting a local redis-server', { port: Number(port || 6379), dir });
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port || 6379),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
    ],
    { stdio: 'ignore' },
  );
  for (let i = 0; i < 50; i++) {
    if (await redisAnswers(redisUrl)) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  fail(`started redis-server but it does not answer at ${redisUrl}`);
}

async function main() {
  // the supervision console (/console): built when missing or older than its sources (a few seconds)
  try {
    await require('../apps/console/build.js').ensureConsoleBuilt({ log: (msg) => log(msg) });
  } catch (error) {
    process.stderr.write(`duban: the console could not be built (${error.message}); the API runs without it\n`);
  }
  const redis = await ensureRedis();
  const children = [];
  let stopping = false;
  const stopAll = (signal) => {
    if (stopping) return;
    stopping = true;
    for (const c of children) if (c.exitCode === null) c.kill(signal);
  };
  const run = (name, entry) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', entry], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, DATA_DIR: dataDir },
    });
    child.on('exit', (code, signal) => {
      if (!stopping) {
        process.stderr.write(`duban: the ${name} stopped (${signal ?? `exit code ${code}`}); stopping the rest\n`);
        process.exitCode = code || 1;
        stopAll('SIGTERM');
      }
      if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) {
        if (redis) redis.kill('SIGTERM');
      }
    });
    children.push(child);
  };
  run('api', path.join(root, 'apps/api/src/main.ts'));
  run('worker', path.join(root, 'apps/worker/src/main.ts'));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
}

main().catch((error) => fail(error.stack || String(error)));
