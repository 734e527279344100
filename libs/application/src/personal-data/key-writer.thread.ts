/**
 * The key writer's thread: its own connection to the key table; each batch one transaction with
 * synchronous = FULL, so its fsync waits on this thread, not on the API's event loop. A batch that fails is
 * retried key by key, so one refused key fails only itself.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { NewDataKey } from './personal-data-keys.port';

/** A batch of keys to insert, and its answer: per key, null when stored, else why not. */
export interface KeyBatch {
  id: number;
  keys: NewDataKey[];
}
export interface KeyBatchAnswer {
  id: number;
  failures: (string | null)[];
}

const port = parentPort!;
const db = new Database((workerData as { file: string }).file);
db.pragma('busy_timeout = 10000');
db.pragma('synchronous = FULL');
const insert = db.prepare(
  'INSERT INTO data_keys (key_id, reporter_id, issue_id, wrapped_key, created_at) VALUES (?, ?, ?, ?, ?)',
);
const insertAll = db.transaction((keys: NewDataKey[]) => {
  for (const k of keys) insert.run(k.keyId, k.reporterId, k.issueId, k.wrappedKey, k.createdAt);
});
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

function failuresOf(keys: NewDataKey[]): (string | null)[] {
  try {
    insertAll(keys);
    return keys.map(() => null);
  } catch (error) {
    if (keys.length === 1) return [messageOf(error)];
    return keys.map((key) => failuresOf([key])[0]);
  }
}

port.on('message', ({ id, keys }: KeyBatch) =>
  port.postMessage({ id, failures: failuresOf(keys) } satisfies KeyBatchAnswer),
);
