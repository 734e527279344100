import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { EventStore } from '@duban/event-store';
import { openLocalStore, serverOf } from './cli-kit';

/** What every audit command is given: where the log is (a data dir, or a running API) and how to show progress. */
export interface AuditContext {
  dataDir: string;
  server?: string;
  token?: string;
  publicKeys: string[];
  progress: boolean;
}

/** The options of the command line, beside the positionals (parseArgs' values). */
export interface CommandValues {
  against?: string;
  out?: string;
  /** export/import: the directory of the evidence files beside the NDJSON */
  attachments?: string;
  /** export: reporters' personal data in clear (an admin, recorded in the log), with who and why */
  'with-personal-data'?: boolean;
  actor?: string;
  reason?: string;
  stream?: string;
  'as-of'?: string;
}

export interface AuditCommand {
  /** 0, or 1 for a FILE */
  positionals: 0 | 1;
  /** answers the exit code */
  run(context: AuditContext, values: CommandValues, positionals: string[]): Promise<number>;
}

export const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

/** The embedded store under --data-dir, read-only. */
export function openAuditedStore(context: AuditContext): EventStore {
  return openLocalStore(context.dataDir, { readonly: true, hint: 'give --data-dir, or --server and --token' });
}

/** A request to the running API; a refusal becomes an Error carrying the status and the problem's detail. */
export async function api(context: AuditContext, path: string, init: RequestInit = {}): Promise<Response> {
  const { token } = serverOf(context);
  let res: Response;
  try {
    res = await fetch(new URL(`/api/v1${path}`, context.server), {
      ...init,
      headers: { ...(init.headers ?? {}), Authorization: `Bearer ${token}` },
    });
  } catch (error) {
    throw new Error(`the server at ${context.server} did not answer: ${(error as Error).message}`);
  }
  if (!res.ok) throw await refusal(res, `${init.method ?? 'GET'} ${path}`);
  return res;
}

async function refusal(res: Response, request: string): Promise<Error & { status: number }> {
  const body = await res.text();
  let detail = body;
  try {
    detail = (JSON.parse(body) as { detail?: string }).detail ?? body;
  } catch {
    /* not JSON */
  }
  return Object.assign(new Error(`${request} answered ${res.status}: ${detail}`), { status: res.status });
}

/** The non-empty lines of a streamed response body (NDJSON). */
export async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  for await (const line of createInterface({
    input: Readable.fromWeb(body as NodeReadableStream<Uint8Array>),
    crlfDelay: Infinity,
  }))
    if (line) yield line;
}
