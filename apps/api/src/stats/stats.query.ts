import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '../auth/principal';
import { EnumField, InstantField, IntField, UuidField } from '../http/fields';
import { ISSUE_COUNTERS, IssueCounterName } from '@duban/projections';
import { ReadModelService } from '../read-model/read-model.service';
import { scopedUnitId } from '../issues/issue-access';
import { ISSUE_SOURCES, ISSUE_STATUSES, OPEN_STATUSES, VERDICTS, type Verdict } from '@duban/domain';
import type Database from 'better-sqlite3';
import { noticeFigures, sqlList } from '@duban/projections';

export class StatsQueryDto {
  @UuidField({ required: false, description: 'issues the unit leads or co-handles' })
  unitId?: string;

  @EnumField(ISSUE_SOURCES, { required: false })
  source?: string;

  @InstantField({ required: false, description: 'registered at or after' })
  from?: string;

  @InstantField({ required: false, description: 'registered before' })
  to?: string;

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true })
  minPosition?: number;
}

const OPEN = sqlList(OPEN_STATUSES);

export interface Stats {
  total: number;
  byStatus: Record<string, number>;
  bySource: Record<string, number>;
  byUnit: Record<string, number>;
  byMonth: Record<string, number>;
  assigned: number;
  resultReported: number;
  closed: number;
  withdrawn: number;
  overdue: number;
  onTimeRate: number | null;
  satisfaction: { satisfied: number; basically_satisfied: number; unsatisfied: number };
  satisfactionRate: number | null;
  averageDaysToClose: number | null;
  escalationsByLevel: Record<'1' | '2' | '3' | '4', number>;
  /** published notices (通报) in the window, and the distinct units named by published criticism notices */
  noticesIssued: number;
  unitsNotified: number;
  /** 回访: each issue's latest reporter verdict */
  reporterSatisfaction: Record<Verdict, number>;
  /** distinct persons (name + unit) of accountability records made in the window */
  peopleDealtWith: number;
}

export class StatsQuery extends Query<Stats> {
  constructor(
    readonly params: StatsQueryDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

/**
 * The figures the seeds quote ("880 assigned, 625 results reported …"), counted in issues from the
 * issue read model. `assigned` and `resultReported` count issues that ever were; rates are 0..1 or
 * null when nothing is there to rate.
 */
@QueryHandler(StatsQuery)
export class StatsQueryHandler implements IQueryHandler<StatsQuery, Stats> {
  constructor(private readonly readModel: ReadModelService) {}

  async execute({ params, principal }: StatsQuery): Promise<Stats> {
    await this.readModel.ensure(params.minPosition);
    const unitId = scopedUnitId(principal, params.unitId);
    const db = this.readModel.db;
    const where: string[] = [];
    const args: unknown[] = [];
    const filterBy = (clause: string, value: unknown) => {
      where.push(clause);
      args.push(value);
    };
    if (unitId) filterBy('id IN (SELECT issue_id FROM issue_units WHERE unit_id = ?)', unitId);
    if (params.source) filterBy('source = ?', params.source);
    if (params.from) filterBy('registered_at >= ?', new Date(params.from).toISOString());
    if (params.to) filterBy('registered_at < ?', new Date(params.to).toISOString());
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const overdue = db
      .prepare(
        `SELECT COUNT(*) FROM issue_rows WHERE status IN ${OPEN} AND deadline < ? ${where.map((w) => `AND ${w}`).join(' ')}`,
      )
      .pluck()
      .get(new Date().toISOString(), ...args) as number;
    const names = ISSUE_COUNTERS.map((c) => c.name);
    let cells: Cell[];
    let leads: { k: string; n: number }[];
    if (!params.from && !params.to) {
      // the projection's counters: a few hundred cells instead of every issue
      const counted = `WHERE unit_id = ?${params.source ? ' AND source = ?' : ''}`;
      const countedArgs = [unitId ?? '', ...(params.source ? [params.source] : [])];
      cells = db
        .prepare(
          `SELECT source, month, status, ${names.map((n) => `SUM(${n}) AS ${n}`).join(', ')} FROM issue_counts ${counted} GROUP BY source, month, status`,
        )
        .all(...countedArgs) as Cell[];
      leads = db
        .prepare(
          `SELECT lead_unit_id AS k, SUM(n) AS n FROM issue_lead_counts ${counted} AND lead_unit_id != '' GROUP BY k`,
        )
        .all(...countedArgs) as { k: string; n: number }[];
    } else {
      // a window of instants: the same figures, counted from the issue rows
      cells = db
        .prepare(
          `SELECT source, registered_month AS month, status, ${ISSUE_COUNTERS.map((c) => `SUM(${c.sql}) AS ${c.name}`).join(', ')} FROM issue_rows ${filter} GROUP BY source, month, status`,
        )
        .all(...args) as Cell[];
      leads = db
        .prepare(`SELECT lead_unit_id AS k, COUNT(*) AS n FROM issue_rows ${filter} GROUP BY k HAVING k IS NOT NULL`)
        .all(...args) as { k: string; n: number }[];
    }
    return {
      ...statsOf(cells, leads, overdue),
      reporterSatisfaction: reporterSatisfaction(db, filter, args),
      peopleDealtWith: peopleDealtWith(db, unitId, params),
      // notices are counted by when they were published, not by any issue's registration
      ...noticeFigures(db, {
        from: params.from && new Date(params.from).toISOString(),
        to: params.to && new Date(params.to).toISOString(),
        unitId,
      }),
    };
  }
}

function reporterSatisfaction(db: Database.Database, filter: string, args: unknown[]): Record<Verdict, number> {
  const rows = db
    .prepare(
      `SELECT last_reporter_verdict AS v, COUNT(*) AS n FROM issue_rows ${filter ? `${filter} AND` : 'WHERE'} last_reporter_verdict IS NOT NULL GROUP BY v`,
    )
    .all(...args) as { v: Verdict; n: number }[];
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  for (const r of rows) counts[r.v] = r.n;
  return counts;
}

/** 处理党员干部N人: a person counts once however many records name them; the window is when the record was made. */
function peopleDealtWith(db: Database.Database, unitId: string | undefined, params: StatsQueryDto): number {
  const where = ["a.target_kind = 'person'"];
  const args: unknown[] = [];
  const filterBy = (clause: string, value: unknown) => {
    where.push(clause);
    args.push(value);
  };
  if (unitId) filterBy('a.issue_id IN (SELECT issue_id FROM issue_units WHERE unit_id = ?)', unitId);
  if (params.source) filterBy('a.issue_id IN (SELECT id FROM issue_rows WHERE source = ?)', params.source);
  if (params.from) filterBy('a.at >= ?', new Date(params.from).toISOString());
  if (params.to) filterBy('a.at < ?', new Date(params.to).toISOString());
  return db
    .prepare(
      `SELECT COUNT(*) FROM (SELECT DISTINCT a.name, IFNULL(a.unit_id, '') FROM issue_accountability a WHERE ${where.join(' AND ')})`,
    )
    .pluck()
    .get(...args) as number;
}

type Cell = { source: string; month: string; status: string } & Record<IssueCounterName, number>;

/** Adds the cells up into the answer. */
function statsOf(
  cells: Cell[],
  leads: { k: string; n: number }[],
  overdue: number,
): Omit<Stats, 'reporterSatisfaction' | 'peopleDealtWith' | 'noticesIssued' | 'unitsNotified'> {
  const sum = (name: IssueCounterName) => cells.reduce((total, c) => total + c[name], 0);
  const by = (key: 'source' | 'month' | 'status', into: Record<string, number> = {}) => {
    for (const c of cells) into[c[key]] = (into[c[key]] ?? 0) + c.n;
    return into;
  };
  const sorted = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const byStatus = by('status', Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])));
  const closed = byStatus.closed;
  const assessed = sum('satisfied') + sum('basically') + sum('unsatisfied');
  return {
    total: sum('n'),
    byStatus,
    bySource: by('source', Object.fromEntries(ISSUE_SOURCES.map((s) => [s, 0]))),
    byUnit: sorted(Object.fromEntries(leads.map((r) => [r.k, r.n]))),
    byMonth: sorted(by('month')),
    assigned: sum('assigned'),
    resultReported: sum('reported'),
    closed,
    withdrawn: byStatus.withdrawn,
    overdue,
    onTimeRate: closed ? sum('on_time') / closed : null,
    satisfaction: {
      satisfied: sum('satisfied'),
      basically_satisfied: sum('basically'),
      unsatisfied: sum('unsatisfied'),
    },
    satisfactionRate: assessed ? (sum('satisfied') + sum('basically')) / assessed : null,
    averageDaysToClose: sum('close_timed')
      ? Math.round((sum('close_ms') / sum('close_timed') / 86_400_000) * 100) / 100
      : null,
    escalationsByLevel: { '1': sum('l1'), '2': sum('l2'), '3': sum('l3'), '4': sum('l4') },
  };
}
