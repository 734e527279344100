import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewDataKey } from './personal-data-keys.port';
import { PERSONAL_DATA_FILE, SqlitePersonalDataKeys } from './sqlite-personal-data-keys';

describe('the SQLite key table: data keys group-committed', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'duban-keys-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const key = (i: number, keyId = `key-${i}`): NewDataKey => ({
    keyId,
    reporterId: `reporter-${i}`,
    issueId: `issue-${i}`,
    wrappedKey: `wrapped-${i}`,
    createdAt: '2026-12-01T00:00:00.000Z',
  });
  const committedKeyIds = () => {
    const other = new Database(join(dir, PERSONAL_DATA_FILE), { readonly: true });
    try {
      return (other.prepare('SELECT key_id FROM data_keys ORDER BY key_id').pluck().all() as string[]).sort();
    } finally {
      other.close();
    }
  };

  it('inserts of the same turn commit together, each committed (seen by another connection) once it resolves', async () => {
    const keys = new SqlitePersonalDataKeys(dir);
    const inserts = Array.from({ length: 50 }, (_, i) => keys.insert(key(i)));
    expect(committedKeyIds()).toEqual([]); // nothing written before the turn ends
    await Promise.all(inserts);
    expect(committedKeyIds()).toHaveLength(50);
    expect(await keys.get('key-7')).toMatchObject({ reporterId: 'reporter-7', wrappedKey: 'wrapped-7' });
    await keys.close();
  });

  it('one refused key fails only its own insert, not the others of its batch', async () => {
    const keys = new SqlitePersonalDataKeys(dir);
    await keys.insert(key(0, 'taken'));
    const results = await Promise.allSettled([keys.insert(key(1)), keys.insert(key(2, 'taken')), keys.insert(key(3))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(committedKeyIds()).toEqual(['key-1', 'key-3', 'taken']);
    await keys.close();
  });

  it('closing commits the keys still waiting for their turn', async () => {
    const keys = new SqlitePersonalDataKeys(dir);
    const pending = keys.insert(key(1));
    await keys.close();
    await pending;
    expect(committedKeyIds()).toEqual(['key-1']);
  });
});
