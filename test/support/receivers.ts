import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { freePort } from './redis';

export interface WebhookCall {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
}

/**
 * A local webhook receiver. `respond(path, attempt)` decides each answer's status (attempt counts
 * calls per path from 1), so a test can fail twice and then succeed, or always fail.
 */
export async function startWebhookReceiver(
  respond: (path: string, attempt: number) => number | Promise<number>,
): Promise<{ url: string; calls: WebhookCall[]; arrived: { path: string; body: string }[]; close(): Promise<void> }> {
  const calls: WebhookCall[] = [];
  /** requests as they arrive (before they are answered) */
  const arrived: { path: string; body: string }[] = [];
  const perPath = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const path = req.url ?? '/';
      const attempt = (perPath.get(path) ?? 0) + 1;
      perPath.set(path, attempt);
      arrived.push({ path, body: Buffer.concat(chunks).toString('utf8') });
      const status = await respond(path, attempt);
      calls.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), status });
      res.writeHead(status).end();
    });
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    arrived,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A local SMTP server (no TLS, no auth) that keeps every message it receives. */
export async function startSmtpReceiver(): Promise<{ url: string; mails: ReceivedMail[]; close(): Promise<void> }> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
