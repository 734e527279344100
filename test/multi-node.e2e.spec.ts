import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { QUEUES } from '@duban/common';
import { TEST_SECRET } from './support/api';
import { ApiProcess, startApiProcess } from './support/api-process';
import { FULL_LADDER, SECONDS_POLICY, uniquePrefix } from './support/deadline-env';
import { future, issueBody } from './support/fixtures';
import { createTestDatabase, TestDatabase } from './support/postgres';
import { tempDir } from './support/temp-dir';
import { signToken, TestRole } from './support/tokens';
import { waitUntil } from './support/wait';
import { startWorker, WorkerProcess } from './support/worker-process';

/**
 * Duban on several nodes: 3 API processes and 2 workers, each with its own DATA_DIR (its own read
 * models), on one PostgreSQL database and one Redis — checked through the HTTP API only.
 */
describe('several API and worker nodes on one PostgreSQL database', () => {
  // five child processes on a shared 2-core machine
  jest.setTimeout(150_000);

  let db: TestDatabase;
  const dirs: ReturnType<typeof tempDir>[] = [];
  let nodes: ApiProcess[] = [];
  const workers: WorkerProcess[] = [];
  let env: Record<string, string>;
  let unitId: string;

  const dir = () => {
    const d = tempDir('duban-node-');
    dirs.push(d);
    return d.path;
  };
  const token = (role: TestRole, unit?: string) => signToken(TEST_SECRET, { roles: [role], unitId: unit });

  /** One HTTP call to a node; answers status, JSON body and headers. */
  async function call(
    node: ApiProcess,
    method: 'GET' | 'POST',
    path: string,
    role: TestRole,
    body?: unknown,
    headers: Record<string, string> = {},
    unit?: string,
  ) {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token(role, unit)}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  const head = async () => {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      return Number((await c.query('SELECT coalesce(max(position), 0) AS p FROM events')).rows[0].p);
    } finally {
      await c.end();
    }
  };

  const startNode = () => startApiProcess({ ...env, DATA_DIR: dir() }, 90_000);
  const startNodeWorker = (name: string) => {
    const w = startWorker({ ...env, DATA_DIR: dir(), AUTH_JWT_SECRET: TEST_SECRET, WORKER_NAME: name });
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.REDIS_URL!,
      QUEUE_PREFIX: uniquePrefix('multinode'),
      WEBHOOK_SIGNING_SECRET: 'w'.repeat(40),
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      RECONCILE_INTERVAL: 'PT1S',
      // one master key for reporters' personal data on every node (the key table is shared in PostgreSQL)
      PERSONAL_DATA_KEY: Buffer.alloc(32, 9).toString('base64'),
      ...SECONDS_POLICY,
    };
    // the first node creates the schema; the others start beside it
    nodes = await Promise.all([startNode(), startNode(), startNode()]);
    const w1 = startNodeWorker('w1');
    const w2 = startNodeWorker('w2');
    await Promise.all([w1.waitFor('worker processing queues', 60_000), w2.waitFor('worker processing queues', 60_000)]);
    const unit = await call(nodes[0], 'POST', '/api/v1/units', 'admin', { code: 'MN-1', name: '多节点单位' });
    expect(unit.status).toBe(201);
    unitId = unit.body.id;
  });

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    await Promise.all(nodes.map((n) => n.stop()));
    await db?.drop();
    for (const d of dirs) d.remove();
  });

  it('runs a whole lifecycle round-robin over the nodes; a read with minPosition on the next node sees each write', async () => {
    const id = (await call(nodes[0], 'POST', '/api/v1/issues', 'registrar', issueBody())).body.id as string;
    // the reporter's sealed identity, registered on node 0, opens on the others (one shared key table)
    for (const node of [nodes[1], nodes[2]])
      expect((await call(node, 'GET', `/api/v1/issues/${id}`, 'registrar')).body.reporter).toMatchObject({
        name: '李四',
      });
    const steps: [TestRole, string, unknown, string?][] = [
      ['registrar', 'triage', { category: '窗口服务', priority: 'high', note: '群众反映强烈' }],
      [
        'registrar',
        'assign',
        {
          leadUnitId: unitId,
          coUnitIds: [],
          responsiblePerson: { name: '王五' },
          deadline: future(10),
          mode: 'counterpart',
        },
      ],
      [
        'unit_officer',
        'plan',
        { measures: [{ description: '建立首问负责制', owner: '王五', dueDate: future(5) }] },
        unitId,
      ],
      ['unit_officer', 'progress', { text: '已完成培训', percent: 40 }, unitId],
      ['unit_officer', 'result', { summary: '已整改到位' }, unitId],
      ['assessor', 'assessments', { verdict: 'satisfied', comment: '满意' }],
      ['registrar', 'close', { note: '销号备案' }],
    ];
    let turn = 1;
    for (const [role, command, body, unit] of steps) {
      const writer = nodes[turn++ % 3];
      const res = await call(writer, 'POST', `/api/v1/issues/${id}/${command}`, role, body, {}, unit);
      expect([command, res.status]).toEqual([command, 200]);
      const reader = nodes[turn % 3];
      const listed = await call(
        reader,
        'GET',
        `/api/v1/issues?minPosition=${res.body.position}&limit=100`,
        'registrar',
      );
      expect(listed.status).toBe(200);
      const item = (listed.body.items as { id: string; revision: number }[]).find((i) => i.id === id);
      expect([command, item?.revision]).toEqual([command, res.body.revision]);
      const direct = await call(reader, 'GET', `/api/v1/issues/${id}`, 'registrar');
      expect(direct.body.revision).toBe(res.body.revision);
    }
    expect((await call(nodes[turn % 3], 'GET', `/api/v1/issues/${id}`, 'registrar')).body.status).toBe('closed');
  });

  it('of 20 conflicting commands spread over the 3 nodes exactly one wins, the rest are 409', async () => {
    const id = (await call(nodes[1], 'POST', '/api/v1/issues', 'registrar', issueBody())).body.id as string;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(nodes[i % 3], 'POST', `/api/v1/issues/${id}/withdraw`, 'registrar', { reason: `重复件 ${i}` }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, ...Array<number>(19).fill(409)]);
    const history = await call(nodes[2], 'GET', `/api/v1/issues/${id}/history`, 'admin');
    expect((history.body.events as { type: string }[]).filter((e) => e.type === 'IssueWithdrawn')).toHaveLength(1);
  });

  it('an Idempotency-Key retried on another node appends nothing and answers the first answer', async () => {
    const key = `mn-${Date.now()}`;
    const body = issueBody({ title: '多节点幂等重试' });
    const first = await call(nodes[0], 'POST', '/api/v1/issues', 'registrar', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    const before = await head();
    for (const node of [nodes[1], nodes[2]]) {
      const again = await call(node, 'POST', '/api/v1/issues', 'registrar', body, { 'Idempotency-Key': key });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
    }
    expect(await head()).toBe(before);
  });

  it('sends reminders and escalations exactly once with 2 workers, also when one is SIGKILLed mid-ladder', async () => {
    const connection = new IORedis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.deadlines, { connection, prefix: env.QUEUE_PREFIX });
    try {
      const ids: string[] = [];
      for (const [i, seconds] of [5, 5, 6].entries()) {
        const id = (await call(nodes[i % 3], 'POST', '/api/v1/issues', 'registrar', issueBody())).body.id as string;
        const assigned = await call(nodes[(i + 1) % 3], 'POST', `/api/v1/issues/${id}/assign`, 'registrar', {
          leadUnitId: unitId,
          coUnitIds: [],
          responsiblePerson: { name: '王五' },
          deadline: new Date(Date.now() + seconds * 1000).toISOString(),
          mode: 'counterpart',
        });
        expect(assigned.status).toBe(200);
        ids.push(id);
      }
      const steps = async (id: string, node = nodes[0]) =>
        (
          (await call(node, 'GET', `/api/v1/issues/${id}/history`, 'admin')).body.events as {
            type: string;
            data: Record<string, unknown>;
          }[]
        )
          .filter((e) => e.type === 'ReminderSent' || (e.type === 'IssueEscalated' && e.data.automatic))
          .map((e) =>
            e.type === 'ReminderSent'
              ? `reminder ${String(e.data.offset)} v${String(e.data.deadlineVersion)}`
              : `escalation ${String(e.data.level)} v${String(e.data.deadlineVersion)}`,
          );
      await waitUntil(
        async () => (await steps(ids[0])).includes('reminder PT0S v1'),
        'the ladder to be under way',
        30_000,
      );
      expect(await workers[0].stop('SIGKILL')).toBe('SIGKILL');
      // a job the killed worker held comes back after BullMQ's stalled-job check (30 s)
      for (const id of ids)
        await waitUntil(async () => (await steps(id)).length >= FULL_LADDER.length, `the ladder of ${id}`, 60_000, 250);
      await waitUntil(
        async () => {
          const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'prioritized', 'paused']);
          return jobs.filter((j) => j && j.timestamp + (j.opts.delay ?? 0) <= Date.now()).length === 0;
        },
        'no due deadline job left',
        50_000,
      );
      for (const [i, id] of ids.entries()) expect(await steps(id, nodes[i % 3])).toEqual(FULL_LADDER);
    } finally {
      await queue.close();
      await connection.quit();
    }
  });

  it('an API node SIGKILLed under a write load spread over all nodes loses no acknowledged write', async () => {
    const acknowledged: { id: string; position: number }[] = [];
    let stop = false;
    let killed = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const node = nodes[(w + i) % 3];
        if (killed && node === nodes[2]) continue;
        const res = await call(
          node,
          'POST',
          '/api/v1/issues',
          'registrar',
          issueBody({ title: `负载 ${w}-${i}` }),
        ).catch(() => undefined);
        if (res?.status === 201) acknowledged.push({ id: res.body.id, position: res.body.position });
      }
    };
    const load = Promise.all(Array.from({ length: 12 }, (_, w) => writer(w)));
    await waitUntil(() => acknowledged.length >= 60, 'writes acknowledged before the kill', 30_000, 20);
    killed = true;
    await nodes[2].stop('SIGKILL');
    const atKill = acknowledged.length;
    await waitUntil(() => acknowledged.length >= atKill + 30, 'writes acknowledged by the survivors', 30_000, 20);
    stop = true;
    await load;
    const top = Math.max(...acknowledged.map((a) => a.position));
    for (const node of [nodes[0], nodes[1]]) {
      const ids = new Set<string>();
      let cursor: string | null = null;
      do {
        const page = await call(
          node,
          'GET',
          `/api/v1/issues?minPosition=${top}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          'registrar',
        );
        expect(page.status).toBe(200);
        for (const item of page.body.items as { id: string }[]) ids.add(item.id);
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(acknowledged.filter((a) => !ids.has(a.id))).toEqual([]);
    }
    for (const a of acknowledged.slice(-10))
      expect((await call(nodes[a.position % 2], 'GET', `/api/v1/issues/${a.id}`, 'registrar')).status).toBe(200);
  });
});
