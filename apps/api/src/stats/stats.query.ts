import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '../auth/principal';
import { EnumField, InstantField, IntField, UuidField } from '../http/fields';
import { ReadModelService } from '../read-model/read-model.service';
import { scopedUnitId } from '../issues/issue-access';
import { ISSUE_SOURCES } from '../issues/commands/register-issue/register-issue.request.dto';

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

const STATUSES = ['registered', 'triaged', 'assigned', 'in_progress', 'result_reported', 'accepted', 'reopened', 'closed', 'withdrawn'];
const OPEN = "('assigned', 'in_progress', 'reopened')";

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
    const where: string[] = [];
    const args: unknown[] = [];
    if (unitId) (where.push('id IN (SELECT issue_id FROM issue_units WHERE unit_id = ?)'), args.push(unitId));
    if (params.source) (where.push('source = ?'), args.push(params.source));
    if (params.from) (where.push('registered_at >= ?'), args.push(new Date(params.from).toISOString()));
    if (params.to) (where.push('registered_at < ?'), args.push(new Date(params.to).toISOString()));
    const filter = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const db = this.readModel.db;
    const now = new Date().toISOString();
    const totals = db
      .prepare(
        `SELECT COUNT(*) AS total,
           SUM(assigned_at IS NOT NULL) AS assigned,
           SUM(results > 0) AS resultReported,
           SUM(status = 'closed') AS closed,
           SUM(status = 'withdrawn') AS withdrawn,
           SUM(status IN ${OPEN} AND deadline < ?) AS overdue,
           SUM(status = 'closed' AND closed_on_time = 1) AS closedOnTime,
           AVG(CASE WHEN closed_at IS NOT NULL THEN julianday(closed_at) - julianday(registered_at) END) AS averageDaysToClose,
           SUM(escalation_level >= 1) AS l1, SUM(escalation_level >= 2) AS l2, SUM(escalation_level >= 3) AS l3, SUM(escalation_level >= 4) AS l4,
           SUM(last_verdict = 'satisfied') AS satisfied,
           SUM(last_verdict = 'basically_satisfied') AS basically,
           SUM(last_verdict = 'unsatisfied') AS unsatisfied
         FROM issue_rows ${filter}`,
      )
      .get(now, ...args) as Record<string, number | null>;
    const grouped = (column: string) =>
      Object.fromEntries(
        (db.prepare(`SELECT ${column} AS k, COUNT(*) AS n FROM issue_rows ${filter} GROUP BY k HAVING k IS NOT NULL ORDER BY k`).all(...args) as { k: string; n: number }[]).map((r) => [r.k, r.n]),
      );
    const n = (key: string) => Number(totals[key] ?? 0);
    const assessed = n('satisfied') + n('basically') + n('unsatisfied');
    return {
      total: n('total'),
      byStatus: { ...Object.fromEntries(STATUSES.map((s) => [s, 0])), ...grouped('status') },
      bySource: { ...Object.fromEntries(ISSUE_SOURCES.map((s) => [s, 0])), ...grouped('source') },
      byUnit: grouped('lead_unit_id'),
      byMonth: grouped('registered_month'),
      assigned: n('assigned'),
      resultReported: n('resultReported'),
      closed: n('closed'),
      withdrawn: n('withdrawn'),
      overdue: n('overdue'),
      onTimeRate: n('closed') ? n('closedOnTime') / n('closed') : null,
      satisfaction: { satisfied: n('satisfied'), basically_satisfied: n('basically'), unsatisfied: n('unsatisfied') },
      satisfactionRate: assessed ? (n('satisfied') + n('basically')) / assessed : null,
      averageDaysToClose: totals.averageDaysToClose === null ? null : Math.round(Number(totals.averageDaysToClose) * 100) / 100,
      escalationsByLevel: { '1': n('l1'), '2': n('l2'), '3': n('l3'), '4': n('l4') },
    };
  }
}
