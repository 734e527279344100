import autocannon from 'autocannon';
import { sign } from 'jsonwebtoken';
import { BenchRow, BenchSuite, scratchDir, timed } from './harness';
import { startServer } from './http.bench';

const BALLOTS = Number(process.env.BENCH_BALLOTS ?? 100_000);
const UNITS = 136;
const CONNECTIONS = 50;
const SECRET = 'bench-secret-that-is-long-enough-for-hs256-000000';

async function json(
  base: string,
  path: string,
  token: string,
  body?: object,
): Promise<{ status: number; body: { id: string; tokens: string[]; ballotsCounted?: number } }> {
  const res = await fetch(`${base}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as { id: string; tokens: string[] } };
}

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(options, (err, result) => (err ? reject(err) : resolve(result))));
}

/** 100,000 anonymous ballots over HTTP against a bare endpoint in the same app, then the tally and publication. */
export const appraisalsSuite: BenchSuite = {
  name: 'appraisals',
  async run(): Promise<BenchRow[]> {
    const dir = scratchDir('appraisals');
    const { child, port } = await startServer({
      DATA_DIR: dir.path,
      AUTH_JWT_SECRET: SECRET,
      REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    });
    const base = `http://127.0.0.1:${port}`;
    const admin = sign({ sub: 'bench', name: 'bench', roles: ['admin', 'registrar'] }, SECRET, {
      algorithm: 'HS256',
      expiresIn: '2h',
    });
    try {
      const unitIds: string[] = [];
      for (let i = 0; i < UNITS; i++)
        unitIds.push((await json(base, '/api/v1/units', admin, { code: `HX${i}`, name: `单位${i}` })).body.id);
      const created = await json(base, '/api/v1/appraisals', admin, {
        name: '压测民主评议',
        year: 2026,
        unitIds,
        criteria: [
          { key: 'attitude', name: '服务态度', weight: 0.4 },
          { key: 'efficiency', name: '办事效率', weight: 0.3 },
          { key: 'quality', name: '服务质量', weight: 0.3 },
        ],
        scale: { min: 0, max: 100 },
        groups: [{ key: 'public', name: '群众', weight: 1 }],
        rounds: [{ key: 'r1', name: '第一轮' }],
        bottomN: 5,
      });
      const id = created.body.id as string;
      const tokens: string[] = [];
      for (let need = Math.ceil(BALLOTS / UNITS); need > 0; need -= 10_000) {
        tokens.push(
          ...(
            await json(base, `/api/v1/appraisals/${id}/ballot-tokens`, admin, {
              group: 'public',
              count: Math.min(need, 10_000),
            })
          ).body.tokens,
        );
      }
      await json(base, `/api/v1/appraisals/${id}/rounds/r1/open`, admin, {});

      await run({
        url: `${base}/api/v1/bench/constant`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: 3,
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      const bare = await run({
        url: `${base}/api/v1/bench/constant`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: 10,
        body: '{}',
        headers: { 'content-type': 'application/json' },
      });
      let next = 0;
      const ballots = await run({
        url: `${base}/api/v1/appraisals/${id}/ballots`,
        connections: CONNECTIONS,
        amount: BALLOTS,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => {
              const i = next++;
              const s = 60 + (i % 41);
              return {
                ...req,
                body: JSON.stringify({
                  token: tokens[Math.floor(i / UNITS)],
                  round: 'r1',
                  unitId: unitIds[i % UNITS],
                  scores: { attitude: s, efficiency: 100 - s / 2, quality: s },
                  comment: i % 50 === 0 ? '窗口服务需改进' : undefined,
                }),
              };
            },
          },
        ],
      });
      const rejected = ballots.non2xx + ballots.errors;
      await json(base, `/api/v1/appraisals/${id}/rounds/r1/close`, admin, {});
      let publish = { status: 503 };
      let publishMs = 0;
      // the read model may still be projecting the last ballots: publication waits for it (or answers 503)
      while (publish.status === 503)
        publishMs = await timed(
          async () => (publish = await json(base, `/api/v1/appraisals/${id}/publish`, admin, {})),
        );
      const results = await json(base, `/api/v1/appraisals/${id}/results`, admin);
      const perSecond = ballots.requests.total / (ballots.duration || 1);
      return [
        {
          benchmark: `${BALLOTS.toLocaleString('en-US')} anonymous ballots over HTTP, ${CONNECTIONS} clients, each 201 durable`,
          unit: 'ballots/s',
          duban: perSecond,
          baseline: bare.requests.average,
          baselineName: 'bare Nest endpoint returning a constant, same app and run',
          better: 'higher',
          goal: '≥ 0.7× bare',
          met: perSecond >= 0.7 * bare.requests.average && rejected === 0,
          notes: `${ballots.requests.total.toLocaleString('en-US')} ballots in ${ballots.duration.toFixed(1)} s, ${rejected} not 2xx; p50 ${ballots.latency.p50} ms, p99 ${ballots.latency.p99} ms (bare: p99 ${bare.latency.p99} ms)`,
        },
        {
          benchmark: 'ballots: p99 latency',
          unit: 'ms',
          duban: ballots.latency.p99,
          baseline: bare.latency.p99,
          baselineName: 'bare Nest endpoint',
          better: 'lower',
        },
        {
          benchmark: `tally and publish ${results.body?.ballotsCounted?.toLocaleString('en-US') ?? '?'} ballots (rank ${UNITS} units, bottom 5)`,
          unit: 'ms',
          duban: publishMs,
          baseline: null,
          baselineName: '—',
          better: 'lower',
          goal: '≤ 2 s',
          met: publish.status === 200 && publishMs <= 2000,
          notes: `publish answered ${publish.status}`,
        },
      ];
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      dir.remove();
    }
  },
};
