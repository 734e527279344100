import Database from 'better-sqlite3';
import { join } from 'node:path';
import { deadlineViewOf, evolveIssue, initialIssueState, IssueEvent } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import { tempDir } from '../../../../test/support/temp-dir';
import {
  assessed,
  assigned,
  extended,
  ISSUE,
  planned,
  registered,
  reminded,
  reopened,
  resultReported,
} from '../../../../libs/domain/src/deadline/specs/issue-story';
import { DeadlineRow, deadlinesProjection, foldedIssue } from './deadlines.projection';

/** events in → rows out, on a real SQLite file, batch by batch as the runner drives it (apply…, flush, one transaction) */
describe('the worker’s deadlines projection folds with the domain', () => {
  const dir = tempDir('duban-deadlines-projection-');
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
  const batch = (events: IssueEvent[]) =>
    db.transaction(() => {
      for (const e of events) deadlinesProjection.apply(db, recorded(e));
      deadlinesProjection.flush?.(db);
    })();
  const row = () => db.prepare('SELECT * FROM deadlines WHERE issue_id = ?').get(ISSUE) as DeadlineRow | undefined;
  /** what the scheduler does after scheduling a row's jobs */
  const scheduled = () =>
    db.prepare('UPDATE deadlines SET scheduled_version = deadline_version, dirty = 0 WHERE issue_id = ?').run(ISSUE);
  const viewAfter = (events: IssueEvent[]) => deadlineViewOf(events.reduce(evolveIssue, initialIssueState()))!;

  beforeEach(() => {
    db = new Database(join(dir.path, `rm-${Date.now()}-${Math.random()}.sqlite`));
    position = 0;
    for (const sql of deadlinesProjection.schema) db.exec(sql);
  });
  afterEach(() => {
    deadlinesProjection.discard?.(db);
    db.close();
  });
  afterAll(() => dir.remove());

  it('no row until the issue is assigned; then the row is the domain’s view, dirty for the scheduler', () => {
    batch([registered]);
    expect(row()).toBeUndefined();
    batch([assigned()]);
    const view = viewAfter([registered, assigned()]);
    expect(row()).toEqual({
      issue_id: ISSUE,
      status: view.status,
      lead_unit_id: view.leadUnitId,
      deadline: view.deadline,
      deadline_version: 1,
      deadline_set_at: view.setAt,
      escalation_level: 0,
      reminded: '[]',
      open: 1,
      scheduled_version: 0,
      dirty: 1,
      progress_month: null,
    });
  });

  it('keeps the scheduler’s bookkeeping: a reminder changes the row but not its jobs; a new version makes it dirty again', () => {
    batch([registered, assigned()]);
    scheduled();
    batch([planned, reminded(1, 'P3D')]);
    expect(row()).toMatchObject({ status: 'in_progress', reminded: '["P3D"]', scheduled_version: 1, dirty: 0 });
    batch([extended]);
    expect(row()).toMatchObject({ deadline_version: 2, reminded: '[]', scheduled_version: 1, dirty: 1 });
  });

  it('a stopped deadline is dirty (its jobs must go); a reopened one is open again with a new version', () => {
    batch([registered, assigned()]);
    scheduled();
    batch([resultReported]);
    expect(row()).toMatchObject({ status: 'result_reported', open: 0, dirty: 1 });
    scheduled();
    batch([assessed('unsatisfied'), reopened]);
    expect(row()).toMatchObject({ status: 'reopened', open: 1, deadline_version: 2, dirty: 1 });
  });

  it('folds onto the stored state when nothing is cached (a restarted worker, an evicted issue)', () => {
    batch([registered]);
    deadlinesProjection.discard?.(db); // forget the cache: the next event must fold onto deadline_states
    batch([assigned(), planned, reminded(1, 'P1D')]);
    const story = [registered, assigned(), planned, reminded(1, 'P1D')];
    expect(row()).toMatchObject({ status: 'in_progress', reminded: '["P1D"]', deadline_version: 1 });
    const stored = db.prepare('SELECT state FROM deadline_states WHERE issue_id = ?').get(ISSUE) as { state: string };
    expect(JSON.parse(stored.state)).toEqual(story.reduce(evolveIssue, initialIssueState()));
  });

  it('answers an issue as folded with the revision it reached, from memory and from the file alike', () => {
    const story = [registered, assigned(), planned];
    batch(story);
    const folded = { state: story.reduce(evolveIssue, initialIssueState()), revision: 2 };
    expect(foldedIssue(db, ISSUE)).toEqual(folded);
    deadlinesProjection.discard?.(db); // a restarted worker, an evicted issue
    expect(foldedIssue(db, ISSUE)).toEqual(folded);
    expect(foldedIssue(db, 'no-such-issue')).toBeUndefined();
  });

  it('a rolled-back batch leaves nothing behind, in the file or in memory', () => {
    batch([registered, assigned()]);
    expect(() =>
      db.transaction(() => {
        deadlinesProjection.apply(db, recorded(resultReported));
        deadlinesProjection.flush?.(db);
        throw new Error('the checkpoint write failed');
      })(),
    ).toThrow('the checkpoint write failed');
    deadlinesProjection.discard?.(db); // what the runner does after a failed batch
    expect(row()).toMatchObject({ status: 'assigned', open: 1 });
    batch([reminded(1, 'P3D')]);
    expect(row()).toMatchObject({ status: 'assigned', open: 1, reminded: '["P3D"]' });
  });
});
