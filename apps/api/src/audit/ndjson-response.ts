import type { Response } from 'express';
import { once } from 'node:events';

export const NDJSON = 'application/x-ndjson';

/**
 * Streams chunks to the client with backpressure; stops when the client goes away. An error after
 * the first byte cannot become a problem+json answer any more, so it cuts the connection (the
 * missing trailer/result line tells the client the answer is incomplete).
 */
export async function streamNdjson(
  res: Response,
  chunks: AsyncIterable<string>,
  headers: Record<string, string> = {},
): Promise<void> {
  res.status(200).setHeader('Content-Type', `${NDJSON}; charset=utf-8`);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Cache-Control', 'no-store');
  let gone = false;
  res.on('close', () => (gone = true));
  try {
    for await (const chunk of chunks) {
      if (gone) return;
      if (!res.write(chunk)) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    res.end();
  } catch (error) {
    if (!res.headersSent) throw error;
    res.destroy(error as Error);
  }
}
