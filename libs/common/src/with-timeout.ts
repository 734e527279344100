/** A probe that does not answer in time is down: rejects naming what did not answer. */
export function withTimeout<T>(promise: Promise<T>, what: string, timeoutMs: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)), timeoutMs).unref(),
    ),
  ]);
}
