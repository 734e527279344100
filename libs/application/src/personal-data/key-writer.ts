import type { Worker } from 'node:worker_threads';
import { startModuleThread } from '@duban/common/module-thread';
import type { NewDataKey } from './personal-data-keys.port';
import type { KeyBatch, KeyBatchAnswer } from './key-writer.thread';

interface Batch {
  keys: NewDataKey[];
  settle: { resolve: () => void; reject: (error: Error) => void }[];
}

/**
 * Inserts data keys on a worker thread, group-committed: the keys of one event-loop turn go in one message, one
 * transaction, one fsync. Each insert resolves once its key is durable.
 */
export class KeyWriter {
  private readonly worker: Worker;
  private next: Batch = { keys: [], settle: [] };
  private readonly inFlight = new Map<number, Batch>();
  private sequence = 0;
  private drained?: () => void;
  private closed?: Promise<void>;
  /** the thread failed or stopped: what was in flight was refused; the table starts another writer */
  broken = false;

  constructor(file: string) {
    this.worker = startModuleThread(__filename, 'key-writer.thread', { workerData: { file } });
    this.worker.unref(); // referenced only while a batch is in flight: a process that never closes the table exits
    this.worker.on('message', ({ id, failures }: KeyBatchAnswer) => this.settle(id, failures));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => this.failAll(new Error(`the key writer thread stopped (exit code ${code})`)));
  }

  insert(key: NewDataKey): Promise<void> {
    return new Promise((resolve, reject) => {
      this.next.keys.push(key);
      if (this.next.settle.push({ resolve, reject }) === 1) setImmediate(() => this.send());
    });
  }

  /** Sends what is waiting, waits for every batch's answer, then stops the worker. Idempotent. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.send();
      if (this.inFlight.size > 0) await new Promise<void>((resolve) => (this.drained = resolve));
      await this.worker.terminate();
    })();
    return this.closed;
  }

  private send(): void {
    const batch = this.next;
    if (batch.keys.length === 0) return;
    this.next = { keys: [], settle: [] };
    const id = ++this.sequence;
    if (this.inFlight.size === 0) this.worker.ref();
    this.inFlight.set(id, batch);
    this.worker.postMessage({ id, keys: batch.keys } satisfies KeyBatch);
  }

  private settle(id: number, failures: (string | null)[]): void {
    const batch = this.inFlight.get(id);
    if (!batch) return;
    this.inFlight.delete(id);
    batch.settle.forEach(({ resolve, reject }, i) =>
      failures[i] ? reject(new Error(`the personal data key was not stored: ${failures[i]}`)) : resolve(),
    );
    if (this.inFlight.size === 0) this.idle();
  }

  private failAll(error: Error): void {
    this.broken = true;
    for (const batch of [...this.inFlight.values(), this.next]) for (const { reject } of batch.settle) reject(error);
    this.inFlight.clear();
    this.next = { keys: [], settle: [] };
    this.idle();
  }

  private idle(): void {
    this.worker.unref();
    this.drained?.();
  }
}
