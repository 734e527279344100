import Database from 'better-sqlite3';
import type { IssueEvent } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import {
  assigned,
  at,
  changed,
  CO_UNIT,
  listed,
  OTHER_UNIT,
  registered,
  UNIT,
} from '../../../domain/src/issue/specs/fixtures';
import { issuesProjection } from './issues.projection';

/** The facts' sums per unit against a count of issue_facts joined with issue_units, batch by batch. */
describe('issue facts summed per unit', () => {
  let db: Database.Database;
  let position = 0;
  const projection = issuesProjection('Asia/Shanghai');
  const batch = (events: IssueEvent[]) =>
    db.transaction(() => {
      for (const e of events)
        projection.apply(db, {
          id: `e-${++position}`,
          streamId: 'issue',
          type: e.type,
          revision: position - 1,
          position,
          data: e.data,
          metadata: { recordedAt: (e.data as { at: string }).at },
        } as unknown as RecordedEvent);
      projection.flush?.(db);
    })();
  const summed = () =>
    db
      .prepare(
        "SELECT unit_id, fact, SUM(n) AS n FROM issue_fact_sums WHERE grain = 'all' AND unit_id != '' GROUP BY unit_id, fact ORDER BY unit_id, fact",
      )
      .all();
  const counted = () =>
    db
      .prepare(
        `SELECT u.unit_id, f.fact, COUNT(*) AS n FROM issue_facts f JOIN issue_units u ON u.issue_id = f.issue_id
         GROUP BY u.unit_id, f.fact ORDER BY u.unit_id, f.fact`,
      )
      .all();

  beforeEach(() => {
    db = new Database(':memory:');
    for (const sql of projection.schema) db.exec(sql);
  });
  afterEach(() => {
    projection.discard?.(db);
    db.close();
  });

  it('counts a fact for the units the issue involves, and moves its earlier facts when it is reassigned', () => {
    batch([registered, assigned]);
    expect(summed()).toEqual([
      { unit_id: UNIT, fact: 'assigned', n: 1 },
      { unit_id: CO_UNIT, fact: 'assigned', n: 1 },
    ]);
    expect(summed()).toEqual(counted());
    const reassigned = changed(assigned, {
      at: at(2),
      leadUnitId: OTHER_UNIT,
      coUnitIds: [],
      previousLeadUnitId: UNIT,
      reason: '改派',
      deadlineVersion: 2,
    });
    batch([reassigned, listed('red', 3)]);
    expect(summed()).toEqual([
      { unit_id: OTHER_UNIT, fact: 'assigned', n: 1 },
      { unit_id: OTHER_UNIT, fact: 'listed', n: 1 },
    ]);
    expect(summed()).toEqual(counted());
  });
});
