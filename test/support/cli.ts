import { spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One of the repo's CLIs as a real child process (async: the API it may talk to runs in the test's process). */
export function runCli(entry: string, args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', entry, ...args], {
      cwd: ROOT,
      env: { ...process.env, DUBAN_TOKEN: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The auditor's CLI. */
export const auditCli = (args: string[]) => runCli('apps/audit-cli/src/main.ts', args);

/** The read model's rebuild CLI. */
export const projectionsCli = (args: string[]) => runCli('apps/projections-cli/src/main.ts', args);
