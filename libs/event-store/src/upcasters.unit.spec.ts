import { UpcasterRegistry } from './upcasters';
import type { RecordedEvent } from './event-store.port';

const v1: RecordedEvent = {
  id: 'e',
  streamId: 'issue-1',
  type: 'IssueRegistered',
  revision: 0,
  position: 1,
  data: { reporterName: '李四' },
  metadata: {
    actor: { id: 'a', role: 'r' },
    correlationId: 'c',
    causationId: null,
    commandId: null,
    recordedAt: '2026-01-01T00:00:00Z',
    schemaVersion: 1,
    prevHash: 'p',
    hash: 'h',
  },
};

describe('upcasting old event versions on read', () => {
  const registry = new UpcasterRegistry()
    .register('IssueRegistered', 1, (data: { reporterName: string }) => ({ reporter: { name: data.reporterName } }))
    .register('IssueRegistered', 2, (data: object) => ({ ...data, attachments: [] }));

  it('runs every step from the stored version to the newest, without touching the stored hash', () => {
    const upcast = registry.upcast(v1);
    expect(upcast.data).toEqual({ reporter: { name: '李四' }, attachments: [] });
    expect(upcast.metadata.schemaVersion).toBe(3);
    expect(upcast.metadata.hash).toBe('h');
    expect(v1.data).toEqual({ reporterName: '李四' });
  });

  it('leaves current versions and other types alone', () => {
    const current = { ...v1, metadata: { ...v1.metadata, schemaVersion: 3 } };
    expect(registry.upcast(current)).toBe(current);
    expect(registry.upcast({ ...v1, type: 'IssueTriaged' })).toEqual({ ...v1, type: 'IssueTriaged' });
  });

  it('refuses two upcasters for one step', () => {
    expect(() => registry.register('IssueRegistered', 1, (d) => d)).toThrow(/already registered/);
  });
});
