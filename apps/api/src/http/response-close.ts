import type { Response } from 'express';

/**
 * Watches a streamed response for the client going away ('close' before the end), so a download
 * loop can stop instead of waiting forever for a 'drain' or 'finish' that will never come.
 * The waits never reject: nothing is left to surface as an unhandled rejection.
 */
export function watchClose(res: Response) {
  let closed = false;
  const close = new Promise<void>((resolve) =>
    res.once('close', () => {
      closed = true;
      resolve();
    }),
  );
  return {
    /** the client is gone (or the response is over) */
    get gone(): boolean {
      return closed || res.destroyed;
    },
    close,
    /** `event` on `emitter` (e.g. 'drain'), or the response closing, whichever comes first */
    until(emitter: NodeJS.EventEmitter, event: string): Promise<void> {
      return Promise.race([new Promise<void>((resolve) => emitter.once(event, () => resolve())), close]);
    },
  };
}

/**
 * A download that failed: before its first byte it is still an ordinary error (the problem filter
 * answers it), after that the only honest signal left is to cut the connection.
 */
export function failDownload(res: Response, error: unknown): void {
  if (!res.headersSent) {
    res.removeHeader('Content-Disposition');
    throw error;
  }
  res.destroy(error as Error);
}
