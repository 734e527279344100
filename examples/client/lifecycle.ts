/**
 * Drives one issue from registration to 销号 (closed) through the typed client, against a running server:
 *
 *   DUBAN_URL=http://127.0.0.1:3000 DUBAN_JWT_SECRET=<AUTH_JWT_SECRET> \
 *     node -r @swc-node/register examples/client/lifecycle.ts
 *
 * With DUBAN_JWT_SECRET each step uses a token of the role that does it (registrar, the lead unit's officer,
 * assessor), minted the way `npm run token` mints them; with DUBAN_TOKEN instead, that one token (an admin's,
 * say) does every step. Prints one JSON line per step and exits 0 once the issue is closed.
 */
import { sign } from 'jsonwebtoken';
import { randomBytes } from 'node:crypto';
import { createDubanClient, DubanClient, must, Problem, ProblemError } from './duban-client';

type Role = 'admin' | 'registrar' | 'unit_officer' | 'assessor';

function tokens(env: NodeJS.ProcessEnv): (role: Role, unitId?: string) => string {
  const secret = env.DUBAN_JWT_SECRET;
  const token = env.DUBAN_TOKEN;
  if (secret) {
    return (role, unitId) =>
      sign({ sub: `example-${role}`, name: `example ${role}`, roles: [role], ...(unitId ? { unitId } : {}) }, secret, {
        algorithm: 'HS256',
        expiresIn: '15m',
      });
  }
  if (token) return () => token;
  throw new Error('set DUBAN_JWT_SECRET (the server’s AUTH_JWT_SECRET) or DUBAN_TOKEN (one token for every step)');
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const step = (name: string, detail: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ step: name, ...detail })}\n`);

async function createUnit(client: DubanClient, code: string, name: string): Promise<string> {
  const created = must(await client.POST('/api/v1/units', { body: { code, name } }));
  step('create unit', { code, id: created.id });
  return created.id;
}

/** POST /attachments with the raw bytes (the file name percent-encoded: header values are ASCII). */
async function uploadEvidence(
  baseUrl: string,
  token: string,
  name: string,
  bytes: Buffer,
): Promise<{ id: string; size: number }> {
  const response = await fetch(`${baseUrl}/api/v1/attachments`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/pdf',
      'X-File-Name': encodeURIComponent(name),
    },
    body: bytes,
  });
  if (response.status !== 201) throw new ProblemError(response.status, (await response.json()) as Problem);
  return (await response.json()) as { id: string; size: number };
}

export async function runLifecycle(baseUrl: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const token = tokens(env);
  const as = (role: Role, unitId?: string) => createDubanClient(baseUrl, token(role, unitId));
  const admin = as('admin');
  const registrar = as('registrar');
  const suffix = randomBytes(3).toString('hex');

  const leadUnitId = await createUnit(admin, `EX-LEAD-${suffix}`, '市住房和城乡建设局');
  const coUnitId = await createUnit(admin, `EX-CO-${suffix}`, '市市场监督管理局');

  const registered = must(
    await registrar.POST('/api/v1/issues', {
      body: {
        source: 'hotline',
        category: '作风建设',
        title: '窗口单位办事推诿扯皮',
        description: '群众反映某窗口工作人员对办事群众推诿，多次往返未办结。',
        location: '行政服务中心三楼',
        reporter: { name: '李四', phone: '13800000000', confidential: true },
      },
    }),
  );
  const id = registered.id;
  const path = { params: { path: { id } } };
  step('register', { id, revision: registered.revision });

  must(
    await registrar.POST('/api/v1/issues/{id}/triage', { ...path, body: { priority: 'high', note: '群众反映强烈' } }),
  );
  step('triage', { id });

  must(
    await registrar.POST('/api/v1/issues/{id}/assign', {
      ...path,
      body: {
        leadUnitId,
        coUnitIds: [coUnitId],
        responsiblePerson: { name: '王五', title: '科长' },
        deadline: inDays(30),
        mode: 'counterpart',
        instructions: '限期整改，按月上报进度',
      },
    }),
  );
  step('assign', { id, leadUnitId, coUnitId });

  const officer = as('unit_officer', leadUnitId);
  must(
    await officer.POST('/api/v1/issues/{id}/plan', {
      ...path,
      body: { measures: [{ description: '建立首问负责制', owner: '王五', dueDate: inDays(10) }] },
    }),
  );
  step('plan', { id });

  must(
    await officer.POST('/api/v1/issues/{id}/progress', { ...path, body: { text: '已完成窗口人员培训', percent: 60 } }),
  );
  step('progress', { id });

  // evidence is a file in the content-addressed store: upload it first, then name its id in the result
  const report = Buffer.from(`%PDF-1.7\n% 整改报告 ${suffix}\n%%EOF\n`);
  const evidence = await uploadEvidence(baseUrl, token('unit_officer', leadUnitId), '整改报告.pdf', report);
  step('upload evidence', { id: evidence.id, size: evidence.size });

  must(
    await officer.POST('/api/v1/issues/{id}/result', {
      ...path,
      body: { summary: '已整改到位，首问负责制上墙公示', evidence: [evidence.id] },
    }),
  );
  step('result', { id });

  must(
    await as('assessor').POST('/api/v1/issues/{id}/assessments', {
      ...path,
      body: { verdict: 'satisfied', comment: '群众满意' },
    }),
  );
  step('assess', { id, verdict: 'satisfied' });

  const closed = must(await registrar.POST('/api/v1/issues/{id}/close', { ...path, body: { note: '销号备案' } }));
  step('close', { id, revision: closed.revision });

  const issue = must(await registrar.GET('/api/v1/issues/{id}', path));
  step('read', { id, status: issue.status, revision: issue.revision });
  if (issue.status !== 'closed') throw new Error(`issue ${id} ended ${issue.status}, not closed`);
  return id;
}

if (require.main === module) {
  const baseUrl = process.env.DUBAN_URL;
  if (!baseUrl) {
    process.stderr.write('set DUBAN_URL, e.g. http://127.0.0.1:3000\n');
    process.exit(2);
  }
  runLifecycle(baseUrl).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
