import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { IssueEvent } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import { tempDir } from '../../../../test/support/temp-dir';
import {
  assessed,
  assigned,
  closed,
  ISSUE,
  registered,
  resultReported,
  UNIT,
  CO_UNIT,
} from '../../../domain/src/issue/specs/fixtures';
import { issuesProjection } from './issues.projection';

/** events in → rows out, on a real SQLite file, batch by batch as the runner drives it */
describe('issues projection', () => {
  const dir = tempDir('duban-issues-projection-');
  let db: Database.Database;
  let position = 0;
  const recorded = (event: IssueEvent): RecordedEvent => ({
    id: `e-${++position}`,
    streamId: `issue-${ISSUE}`,
    type: event.type,
    revision: position - 1,
    position,
    data: event.data,
    metadata: {
      actor: { id: 'a', role: 'registrar' },
      correlationId: 'c',
      causationId: null,
      commandId: null,
      recordedAt: (event.data as { at: string }).at,
      schemaVersion: 1,
      prevHash: '',
      hash: '',
    },
  });
  const batch = (projection: ReturnType<typeof issuesProjection>, events: IssueEvent[]) =>
    db.transaction(() => {
      for (const e of events) projection.apply(db, recorded(e));
      projection.flush?.(db);
    })();
  const row = () => db.prepare('SELECT * FROM issues WHERE id = ?').get(ISSUE) as Record<string, unknown>;

  beforeEach(() => {
    db = new Database(join(dir.path, `rm-${position}.sqlite`));
    position = 0;
  });
  afterEach(() => db.close());
  afterAll(() => dir.remove());

  it('writes one row per issue per batch, with the columns statistics filter on and the folded state', () => {
    const projection = issuesProjection('Asia/Shanghai');
    for (const sql of projection.schema) db.exec(sql);
    batch(projection, [registered, assigned]);
    expect(row()).toMatchObject({
      status: 'assigned',
      lead_unit_id: UNIT,
      results: 0,
      last_verdict: null,
      revision: 1,
    });
    // each unit's link carries the issue's seq, the order a unit's list reads in
    const seq = row().seq;
    expect(db.prepare('SELECT unit_id, seq, issue_id, role FROM issue_units ORDER BY role DESC').all()).toEqual([
      { unit_id: UNIT, seq, issue_id: ISSUE, role: 'lead' },
      { unit_id: CO_UNIT, seq, issue_id: ISSUE, role: 'co' },
    ]);
    batch(projection, [resultReported, assessed('basically_satisfied'), closed]);
    expect(row()).toMatchObject({
      status: 'closed',
      results: 1,
      last_verdict: 'basically_satisfied',
      closed_on_time: 1,
      revision: 4,
    });
    expect(JSON.parse(row().state as string)).toMatchObject({ id: ISSUE, status: 'closed', closedOnTime: true });
  });

  it('counts the month in the agency time zone: 01:00 on 1 February in Shanghai is still January in UTC', () => {
    const lateJanuaryUtc = {
      ...registered,
      data: { ...registered.data, at: '2026-01-31T17:00:00.000Z' },
    } as IssueEvent;
    const shanghai = issuesProjection('Asia/Shanghai');
    for (const sql of shanghai.schema) db.exec(sql);
    batch(shanghai, [lateJanuaryUtc]);
    expect(row().registered_month).toBe('2026-02');
    db.exec('DELETE FROM issue_rows; DELETE FROM issue_states; DELETE FROM issue_units; DELETE FROM issues_fts');
    const utc = issuesProjection('UTC');
    batch(utc, [lateJanuaryUtc]);
    expect(row().registered_month).toBe('2026-01');
    expect(utc.version).not.toBe(shanghai.version);
  });

  it('a rebuild holds the folded state back until settled, then stores the same state a live batch would', () => {
    const projection = issuesProjection('Asia/Shanghai');
    for (const sql of projection.schema) db.exec(sql);
    const scratchBatch = (events: IssueEvent[]) =>
      db.transaction(() => {
        for (const e of events) projection.apply(db, recorded(e));
        projection.flush?.(db, { scratch: true });
      })();
    scratchBatch([registered, assigned]);
    scratchBatch([resultReported]);
    expect(row()).toMatchObject({ status: 'result_reported', results: 1, state: null });
    db.transaction(() => projection.settle?.(db))();
    const settled = JSON.parse(row().state as string);
    db.exec('DELETE FROM issue_rows; DELETE FROM issue_states; DELETE FROM issue_units; DELETE FROM issues_fts');
    const live = issuesProjection('Asia/Shanghai');
    batch(live, [registered, assigned]);
    batch(live, [resultReported]);
    expect(settled).toEqual(JSON.parse(row().state as string));
  });

  it('reads the stored state back when its memory was discarded (a rolled-back batch, another process)', () => {
    const projection = issuesProjection('Asia/Shanghai');
    for (const sql of projection.schema) db.exec(sql);
    batch(projection, [registered, assigned]);
    projection.discard?.(db);
    batch(projection, [resultReported]);
    expect(row()).toMatchObject({ status: 'result_reported', results: 1, lead_unit_id: UNIT });
  });
});
