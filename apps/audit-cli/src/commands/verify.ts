import { existsSync, readFileSync, statSync } from 'node:fs';
import {
  DigestClaim,
  FileFinding,
  FilesReport,
  loadKeyring,
  parseDigestClaim,
  verifyLogSteps,
  VerifyReport,
} from '@duban/audit';
import { rawEventLog } from '@duban/event-store';
import { openAttachmentStore } from '@duban/attachments';
import { EXIT } from '../exit';
import { progressBar, UsageError } from '../cli-kit';
import { api, AuditCommand, AuditContext, lines, openAuditedStore, print } from '../context';

/** DIGEST: the value itself, or a file holding it (the JSON `digest` printed, or an export whose last line is its trailer). */
function readDigestArgument(text: string): DigestClaim {
  const candidates =
    existsSync(text) && statSync(text).isFile()
      ? [readFileSync(text, 'utf8').trim()].flatMap((content) => [content, content.split('\n').pop()!])
      : [text];
  let problem = '';
  for (const candidate of candidates) {
    try {
      return parseDigestClaim(candidate);
    } catch (error) {
      problem = (error as Error).message;
    }
  }
  throw new UsageError(`--against: ${problem}`);
}

async function verifyOnServer(
  context: AuditContext,
  claim: DigestClaim | undefined,
  onProgress: (position: number, head: number) => void,
): Promise<VerifyReport> {
  // the heads are not needed to check a digest (their hash is signed) and would make the URL long
  const query = claim ? `?against=${encodeURIComponent(JSON.stringify({ ...claim, heads: undefined }))}` : '';
  const res = await api(context, `/audit/verify${query}`);
  for await (const line of lines(res.body!)) {
    const message = JSON.parse(line) as { progress?: { position: number; head: number }; result?: VerifyReport };
    if (message.progress) onProgress(message.progress.position, message.progress.head);
    if (message.result) return message.result;
  }
  throw new Error('the server ended the verification without a result');
}

async function verifyLocally(
  context: AuditContext,
  claims: DigestClaim[],
  onProgress: (position: number, head: number) => void,
): Promise<VerifyReport> {
  const store = openAuditedStore(context);
  try {
    const steps = verifyLogSteps(rawEventLog(store), {
      keyring: loadKeyring({ publicKeyFiles: context.publicKeys, dataDir: context.dataDir }),
      against: claims,
      files: openAttachmentStore({
        dataDir: context.dataDir,
        attachmentStoreUrl: process.env.ATTACHMENT_STORE_URL?.trim() || null,
      }),
    });
    for (;;) {
      const step = await steps.next();
      if (step.done) return step.value;
      onProgress(step.value.position, step.value.head);
    }
  } finally {
    await store.close();
  }
}

/** The whole verification, on the server or on the data dir, with its progress bar. */
export async function verify(context: AuditContext, against?: string): Promise<VerifyReport> {
  const claims = against ? [readDigestArgument(against)] : [];
  const bar = progressBar(context.progress, 'verify');
  try {
    const onProgress = (position: number, head: number) => bar.update(position, head);
    return context.server
      ? await verifyOnServer(context, claims[0], onProgress)
      : await verifyLocally(context, claims, onProgress);
  } finally {
    bar.stop();
  }
}

/** One line for a human: OK, or where the first break is. */
export function summary(report: VerifyReport): string {
  const head = `${report.events} events in ${report.streams} streams, ${report.digests.matched}/${report.digests.checked} digests matched`;
  const files = report.files ? `, ${report.files.checked}/${report.files.referenced} evidence files checked` : '';
  if (report.ok) return `OK: ${head}${files}${report.warnings.length ? ` (${report.warnings.join('; ')})` : ''}`;
  const b = report.firstBreak;
  if (!b) return `TAMPERED: ${head}${files}: ${fileProblems(report.files!)}`;
  return `TAMPERED: ${head}; first break at position ${b.position}${b.streamId ? ` (stream ${b.streamId}, revision ${b.revision})` : ''}: ${b.reason} — ${b.detail}`;
}

/** The first missing or altered evidence files, each with the first event that references it. */
function fileProblems(files: FilesReport): string {
  const name = (kind: string) => (f: FileFinding) =>
    `${kind} ${f.id} (referenced by ${f.events[0].type} at position ${f.events[0].position}, stream ${f.events[0].streamId} revision ${f.events[0].revision})`;
  return [...files.altered.map(name('altered')), ...files.missing.map(name('missing'))].slice(0, 5).join('; ');
}

/** `verify [--against DIGEST]`: the report on stdout, its summary on stderr. */
export const verifyCommand: AuditCommand = {
  positionals: 0,
  async run(context, values) {
    const report = await verify(context, values.against);
    print(report);
    process.stderr.write(`${summary(report)}\n`);
    return report.ok ? EXIT.clean : EXIT.tampered;
  },
};
