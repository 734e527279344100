import { AsyncLocalStorage } from 'node:async_hooks';

/** What follows a request (or a job) through every await: its correlation id, for logs and event metadata. */
export interface RequestContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentContext(): RequestContext | undefined {
  return storage.getStore();
}
