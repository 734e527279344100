import { canonicalJson, deterministicUuid, eventHashFromJson, GENESIS_HASH, SqliteEventStore, StoredEvent } from '@duban/event-store';

const EVENTS_PER_STREAM = 10;
const TYPES = ['IssueRegistered', 'IssueTriaged', 'IssueAssigned', 'PlanSubmitted', 'ProgressReported', 'ProgressReported', 'ResultReported', 'ResultAssessed', 'IssueClosed', 'ProgressReported'];

/**
 * Writes a realistic log of `count` events (issue streams of ten events, ~600 bytes each, hash
 * chains computed as the store would) straight into an empty store through its bulk import, which is
 * far quicker than a million appends. The bench then verifies, exports and imports this log.
 */
export function generateAuditLog(store: SqliteEventStore, count: number): { bytes: number } {
  const sink = store.beginImport();
  const start = Date.parse('2026-01-01T00:00:00Z');
  const heads = new Map<string, { revision: number; hash: string }>();
  let bytes = 0;
  try {
    let batch: StoredEvent[] = [];
    const streams = Math.max(1, Math.ceil(count / EVENTS_PER_STREAM));
    for (let position = 1; position <= count; position++) {
      // interleave streams the way concurrent work does: consecutive events belong to different issues
      const s = (position - 1) % streams;
      const streamId = `issue-${deterministicUuid(`bench-stream-${s}`)}`;
      const head = heads.get(streamId) ?? { revision: -1, hash: GENESIS_HASH };
      const revision = head.revision + 1;
      const type = TYPES[revision % TYPES.length];
      const dataJson = canonicalJson({
        text: `窗口单位办事推诿扯皮，群众反映多次往返未办结，要求限期整改并反馈结果 #${position}`,
        unitId: deterministicUuid(`unit-${s % 50}`),
        deadline: '2026-12-31T16:00:00.000Z',
        measures: [{ description: '建立首问负责制', owner: '王五', dueDate: '2026-06-30T16:00:00.000Z' }],
        percent: (revision * 10) % 100,
      });
      const metadataJson = canonicalJson({
        actor: { id: 'registrar-1', role: 'registrar' },
        causationId: null,
        commandId: deterministicUuid(`cmd-${position}`),
        correlationId: deterministicUuid(`corr-${position}`),
        recordedAt: new Date(start + position * 1000).toISOString(),
        schemaVersion: 1,
      });
      const id = deterministicUuid(`event-${position}`);
      const hash = eventHashFromJson(head.hash, { id, streamId, revision, type, dataJson, metadataJson });
      batch.push({ position, id, streamId, revision, type, dataJson, metadataJson, prevHash: head.hash, hash });
      heads.set(streamId, { revision, hash });
      bytes += dataJson.length + metadataJson.length;
      if (batch.length === 10_000) {
        sink.write(batch);
        batch = [];
      }
    }
    sink.write(batch);
    sink.commit();
  } catch (error) {
    sink.abort();
    throw error;
  }
  return { bytes };
}
