import { deterministicUuid, SqliteEventStore } from '@duban/event-store';
import { generatedMetadata, LogEvent, writeLog } from './log-writer';

const EVENTS_PER_STREAM = 10;
const TYPES = [
  'IssueRegistered',
  'IssueTriaged',
  'IssueAssigned',
  'PlanSubmitted',
  'ProgressReported',
  'ProgressReported',
  'ResultReported',
  'ResultAssessed',
  'IssueClosed',
  'ProgressReported',
];

/**
 * A log of `count` events (issue streams of ten events, ~600 bytes each) for the audit bench, which
 * only hashes bytes: the data need not fold into valid issues (the projections bench's log does).
 */
export function generateAuditLog(store: SqliteEventStore, count: number): { bytes: number } {
  return writeLog(store, auditEvents(count));
}

function* auditEvents(count: number): Generator<LogEvent> {
  const start = Date.parse('2026-01-01T00:00:00Z');
  const revisions = new Map<string, number>();
  const streams = Math.max(1, Math.ceil(count / EVENTS_PER_STREAM));
  for (let position = 1; position <= count; position++) {
    // interleave streams the way concurrent work does: consecutive events belong to different issues
    const s = (position - 1) % streams;
    const streamId = `issue-${deterministicUuid(`bench-stream-${s}`)}`;
    const revision = (revisions.get(streamId) ?? -1) + 1;
    revisions.set(streamId, revision);
    yield {
      streamId,
      type: TYPES[revision % TYPES.length],
      data: {
        text: `窗口单位办事推诿扯皮，群众反映多次往返未办结，要求限期整改并反馈结果 #${position}`,
        unitId: deterministicUuid(`unit-${s % 50}`),
        deadline: '2026-12-31T16:00:00.000Z',
        measures: [{ description: '建立首问负责制', owner: '王五', dueDate: '2026-06-30T16:00:00.000Z' }],
        percent: (revision * 10) % 100,
      },
      metadata: generatedMetadata(
        position,
        { id: 'registrar-1', role: 'registrar' },
        new Date(start + position * 1000).toISOString(),
      ),
    };
  }
}
