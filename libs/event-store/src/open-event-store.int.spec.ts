import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../../../test/support/temp-dir';
import { bulkImportOf, rawEventLog } from './capabilities.port';
import { EVENTS_FILE, EventStoreNotFound, openEventStore } from './open-event-store';
import { anEvent } from './testing/event-store.contract';

describe('openEventStore (the one way the API, the worker and the CLIs open a store)', () => {
  const dir = tempDir('duban-open-store-');
  afterAll(() => dir.remove());

  it('refuses to open a missing store read-only, and creates nothing', () => {
    const missing = join(dir.path, 'nowhere');
    expect(() => openEventStore({ dataDir: missing, readonly: true })).toThrow(EventStoreNotFound);
    expect(existsSync(join(missing, EVENTS_FILE))).toBe(false);
  });

  it('opens the embedded file under the data dir, which declares a raw log and bulk import; read-only refuses appends', async () => {
    const writer = openEventStore({ dataDir: dir.path });
    await writer.append('s-1', [anEvent()], { expectedRevision: 'no_stream' });
    expect(bulkImportOf(writer)).not.toBeNull();
    await writer.close();
    const reader = openEventStore({ dataDir: dir.path, readonly: true });
    try {
      expect((await rawEventLog(reader).page(0, 10)).map((e) => e.streamId)).toEqual(['s-1']);
      await expect(reader.append('s-2', [anEvent()], { expectedRevision: 'no_stream' })).rejects.toThrow();
    } finally {
      await reader.close();
    }
  });
});
