import { spawn, ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sign } from 'jsonwebtoken';
import { BenchRow, BenchSuite, scratchDir } from './harness';

const CONNECTIONS = 50;
const DURATION_S = 10;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-000000';

const body = JSON.stringify({
  source: 'hotline',
  category: '作风建设',
  title: '窗口单位办事推诿扯皮',
  description: '群众反映某窗口工作人员对办事群众推诿，多次往返未办结，要求限期整改并反馈结果。',
  location: '行政服务中心三楼',
  reporter: { name: '李四', phone: '13800000000', confidential: true },
});

/** closed loop: each client sends its next request when the last was answered */
export function load(url: string, headers: Record<string, string>): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method: 'POST',
        connections: CONNECTIONS,
        duration: DURATION_S,
        body,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    );
  });
}

export function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    // BENCH_API_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API under the benchmark's load
    const flags = (process.env.BENCH_API_NODE_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawn(
      process.execPath,
      [...flags, '-r', '@swc-node/register', join(__dirname, 'http-server.child.ts')],
      {
        cwd: join(__dirname, '../..'),
        // the benchmarks send far more than any rate limit allows from one address
        env: { ...process.env, RATE_LIMIT_ENABLED: 'false', ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.stdout!.on('data', (d: Buffer) => {
      const match = /listening (\d+)/.exec(d.toString());
      if (match) resolve({ child, port: Number(match[1]) });
    });
    child.once('exit', (code) => reject(new Error(`the API process exited (${code})`)));
  });
}

export const httpSuite: BenchSuite = {
  name: 'http',
  async run(): Promise<BenchRow[]> {
    const dir = scratchDir('http');
    const { child, port } = await startServer({
      DATA_DIR: dir.path,
      AUTH_JWT_SECRET: SECRET,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    const token = sign({ sub: 'bench', name: 'bench', roles: ['registrar'] }, SECRET, {
      algorithm: 'HS256',
      expiresIn: '1h',
    });
    const base = `http://127.0.0.1:${port}`;
    // warm both paths, then measure the floor and the real thing back to back
    await load(`${base}/api/v1/bench/constant`, {});
    const bare = await load(`${base}/api/v1/bench/constant`, {});
    const register = await load(`${base}/api/v1/issues`, { authorization: `Bearer ${token}` });
    const non2xx = register.non2xx + register.errors;
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    dir.remove();
    return [
      {
        benchmark: `register issues over HTTP, ${CONNECTIONS} concurrent clients, each 201 durable`,
        unit: 'req/s',
        duban: register.requests.average,
        baseline: bare.requests.average,
        baselineName: 'bare Nest endpoint returning a constant, same app and run',
        better: 'higher',
        goal: '≥ 0.6× bare',
        met: register.requests.average >= 0.6 * bare.requests.average && non2xx === 0,
        notes: `${register.requests.total} registrations, ${non2xx} not 2xx`,
      },
      {
        benchmark: 'register issues: p50 latency',
        unit: 'ms',
        duban: register.latency.p50,
        baseline: bare.latency.p50,
        baselineName: 'bare Nest endpoint',
        better: 'lower',
      },
      {
        benchmark: 'register issues: p99 latency',
        unit: 'ms',
        duban: register.latency.p99,
        baseline: bare.latency.p99,
        baselineName: 'bare Nest endpoint',
        better: 'lower',
        goal: 'p99 < 25 ms',
        met: register.latency.p99 < 25,
        notes: `with ${CONNECTIONS} closed-loop clients latency ≈ clients ÷ throughput: the bare endpoint itself needs ${Math.round(bare.latency.p99)} ms here, the load generator sharing the 2 cores`,
      },
    ];
  },
};
