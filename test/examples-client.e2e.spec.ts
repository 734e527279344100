import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startTestApi, TEST_SECRET, TestApi } from './support/api';

const ROOT = join(__dirname, '..');

/** Runs the example as a user would: its own process, real HTTP, a deadline instead of waiting forever. */
function runExample(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', 'examples/client/lifecycle.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('examples/client/lifecycle.ts (the typed client generated from the OpenAPI document)', () => {
  let api: TestApi;
  let baseUrl: string;

  beforeAll(async () => {
    api = await startTestApi();
    const { port } = api.app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${port}`;
  });
  afterAll(() => api.close());

  it('drives one issue from registration to 销号 against a running server, and the issue ends closed', async () => {
    const run = await runExample({ DUBAN_URL: baseUrl, DUBAN_JWT_SECRET: TEST_SECRET });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const steps = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { step: string; id: string });
    expect(steps.map((s) => s.step)).toEqual([
      'create unit',
      'create unit',
      'register',
      'triage',
      'assign',
      'plan',
      'progress',
      'upload evidence',
      'result',
      'assess',
      'close',
      'read',
    ]);
    const issueId = steps.find((s) => s.step === 'register')!.id;
    const issue = await api.as('registrar').get(`/api/v1/issues/${issueId}`).expect(200);
    expect(issue.body.status).toBe('closed');
    const history = await api.as('registrar').get(`/api/v1/issues/${issueId}/history`).expect(200);
    expect((history.body.events as { type: string }[]).map((e) => e.type)).toEqual(
      expect.arrayContaining(['IssueRegistered', 'IssueAssigned', 'IssueClosed']),
    );
  });

  it('fails with the server’s problem when a step is refused (a token without the role)', async () => {
    const run = await runExample({ DUBAN_URL: baseUrl, DUBAN_TOKEN: api.token('auditor') });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^403 Forbidden: /);
  });
});
