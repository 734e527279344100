import type Database from 'better-sqlite3';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { Principal } from '../auth/principal';
import { EnumField, InstantField, IntField, UuidField } from '../http/fields';
import { noticeFigures } from '@duban/projections';
import { CONFIG, DubanConfig } from '@duban/config';
import { Inject } from '@nestjs/common';
import { ReadModelService } from '../read-model/read-model.service';
import { scopedUnitId } from '../issues/issue-access';
import { ISSUE_SOURCES, ISSUE_STATUSES, VERDICTS, type Verdict } from '@duban/domain';
import { AgencyCalendar, Cell, Counts, FactCounts, StatsFilter, StatsRepository } from './stats.repository';

export const STATS_BASES = ['registered', 'event'] as const;
export type StatsBasis = (typeof STATS_BASES)[number];

export class StatsQueryDto {
  @UuidField({ required: false, description: 'issues the unit leads, co-handles or is responsible for' })
  unitId?: string;

  @EnumField(ISSUE_SOURCES, { required: false })
  source?: string;

  @InstantField({ required: false, description: 'the window starts (inclusive)' })
  from?: string;

  @InstantField({ required: false, description: 'the window ends (exclusive)' })
  to?: string;

  @EnumField(STATS_BASES, {
    required: false,
    description:
      'registered (default): the issues registered in the window, as they stand now; event: what happened in the window (assigned, results reported, closed, resolved … in it), whatever the issues’ registration',
  })
  basis?: StatsBasis;

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true })
  minPosition?: number;
}

type VerdictCounts = Record<Verdict, number>;

export interface Stats {
  basis: StatsBasis;
  total: number;
  byStatus: Counts;
  bySource: Counts;
  byUnit: Counts;
  byMonth: Counts;
  /** 分类, 交办方式, 专项行动 and 联合交办 partner agencies */
  byCategory: Counts;
  byMode: Counts;
  byProgramme: Counts;
  byPartnerAgency: Counts;
  assigned: number;
  resultReported: number;
  closed: number;
  withdrawn: number;
  /** closed at some time by any path (销号 or 立行立改), so it may exceed `assigned` */
  resolved: number;
  resolvedOnSpot: number;
  reopened: number;
  redListed: number;
  blackListed: number;
  /** monthly progress reports not made by their due date (the worker reminded) */
  missedProgressReports: number;
  overdue: number;
  onTimeRate: number | null;
  satisfaction: VerdictCounts;
  satisfactionRate: number | null;
  averageDaysToClose: number | null;
  escalationsByLevel: Record<'1' | '2' | '3' | '4', number>;
  /** 明察暗访: inspections held in the window (null if this read model has none) */
  inspections: number | null;
  /** published notices (通报) in the window, and the distinct units named by published criticism notices */
  noticesIssued: number;
  unitsNotified: number;
  /** 回访: each issue's latest reporter verdict */
  reporterSatisfaction: VerdictCounts;
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

const sorted = (counts: Counts): Counts =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const ratio = (part: number, whole: number) => (whole ? part / whole : null);
const days = (ms: number, n: number) => (n ? Math.round((ms / n / 86_400_000) * 100) / 100 : null);
const verdicts = (counts: Counts): VerdictCounts =>
  Object.fromEntries(VERDICTS.map((v) => [v, counts[v] ?? 0])) as VerdictCounts;

/**
 * The figures the seeds quote ("880 assigned, 625 results reported, 946 resolved …") from the read models.
 * `basis=registered` counts the issues registered in the window as they stand now (`assigned`: ever assigned);
 * `basis=event` counts what happened in the window from `issue_facts` (assigned in it, closed in it …), while the
 * figures that describe issues rather than happenings (total, byStatus, bySource, byCategory, byProgramme, byMonth,
 * byUnit, overdue, reporterSatisfaction) stay those of the issues registered in the window. Rates are 0..1 or null.
 */
@QueryHandler(StatsQuery)
export class StatsQueryHandler implements IQueryHandler<StatsQuery, Stats> {
  private readonly day: Intl.DateTimeFormat;
  private readonly calendar: AgencyCalendar;
  /** answers by question (dashboards ask the same ones again and again), all at one read model and position */
  private readonly answers = new Map<string, Answer>();
  private answersAt: { db?: Database.Database; position: number } = { position: -1 };

  constructor(
    private readonly readModel: ReadModelService,
    @Inject(CONFIG) config: DubanConfig,
  ) {
    this.day = new Intl.DateTimeFormat('en-CA', { timeZone: config.tzAgency });
    this.calendar = new AgencyCalendar(config.tzAgency);
  }

  async execute({ params, principal }: StatsQuery): Promise<Stats> {
    await this.readModel.ensure(params.minPosition);
    const filter: StatsFilter = {
      unitId: scopedUnitId(principal, params.unitId),
      source: params.source,
      from: params.from && new Date(params.from).toISOString(),
      to: params.to && new Date(params.to).toISOString(),
    };
    const basis = params.basis ?? 'registered';
    // every figure is a function of the read model and the question, overdue also of the clock: an answer is reused
    // until the read model moves, its overdue count until the next open issue's deadline passes
    const at = { db: this.readModel.db, position: this.readModel.runner.checkpoint };
    if (at.db !== this.answersAt.db || at.position !== this.answersAt.position) {
      this.answers.clear();
      this.answersAt = at;
    }
    const question = JSON.stringify([basis, filter.unitId, filter.source, filter.from, filter.to]);
    const repo = new StatsRepository(this.readModel.db, this.calendar);
    const now = new Date().toISOString();
    let answer = this.answers.get(question);
    if (!answer) {
      if (this.answers.size >= MAX_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
      answer = { stats: this.figures(repo, filter, basis, now), overdueUntil: repo.nextDeadline(now) };
      this.answers.set(question, answer);
    } else if (answer.overdueUntil < now) {
      answer.stats = { ...answer.stats, overdue: repo.overdue(filter, now) };
      answer.overdueUntil = repo.nextDeadline(now);
    }
    return answer.stats;
  }

  private figures(repo: StatsRepository, filter: StatsFilter, basis: StatsBasis, now: string): Stats {
    return {
      basis,
      ...registeredFigures(repo, filter, now),
      ...(basis === 'event' ? eventFigures(repo.facts(filter)) : {}),
      inspections: repo.inspections({
        unitId: filter.unitId,
        fromDate: filter.from && this.day.format(new Date(filter.from)),
        toDate: filter.to && this.day.format(new Date(filter.to)),
      }),
      // notices and accountability records are counted by when they were made, not by any issue's registration
      ...noticeFigures(this.readModel.db, filter),
      peopleDealtWith: repo.peopleDealtWith(filter),
    };
  }
}

/** the most questions remembered at one position of the read model */
const MAX_ANSWERS = 64;

interface Answer {
  stats: Stats;
  /** the overdue count holds until this instant: the earliest deadline of an open issue not yet past */
  overdueUntil: string;
}

type IssueFigures = Omit<Stats, 'basis' | 'inspections' | 'noticesIssued' | 'unitsNotified' | 'peopleDealtWith'>;

/** The issues registered in the window, as they stand now. */
function registeredFigures(repo: StatsRepository, f: StatsFilter, now: string): IssueFigures {
  const cells = repo.cells(f);
  const breakdowns = repo.breakdowns(f);
  const sum = (name: keyof Cell) => cells.reduce((total, c) => total + (c[name] as number), 0);
  const by = (key: 'source' | 'month' | 'status', into: Counts = {}) => {
    for (const c of cells) into[c[key]] = (into[c[key]] ?? 0) + c.n;
    return into;
  };
  const byStatus = by('status', Object.fromEntries(ISSUE_STATUSES.map((s) => [s, 0])));
  const closed = byStatus.closed;
  const satisfaction = {
    satisfied: sum('satisfied'),
    basically_satisfied: sum('basically'),
    unsatisfied: sum('unsatisfied'),
  };
  const assessed = satisfaction.satisfied + satisfaction.basically_satisfied + satisfaction.unsatisfied;
  return {
    total: sum('n'),
    byStatus,
    bySource: by('source', Object.fromEntries(ISSUE_SOURCES.map((s) => [s, 0]))),
    byUnit: breakdowns.lead,
    byMonth: sorted(by('month')),
    byCategory: breakdowns.category,
    byMode: breakdowns.mode,
    byProgramme: breakdowns.programme,
    byPartnerAgency: breakdowns.partner,
    assigned: sum('assigned'),
    resultReported: sum('reported'),
    closed,
    withdrawn: byStatus.withdrawn,
    resolved: sum('resolved'),
    resolvedOnSpot: sum('on_spot'),
    reopened: sum('reopened'),
    redListed: sum('red'),
    blackListed: sum('black'),
    missedProgressReports: sum('missed'),
    overdue: repo.overdue(f, now),
    // on-spot resolutions had no deadline: neither on time nor late
    onTimeRate: ratio(sum('on_time'), closed - sum('on_spot')),
    satisfaction,
    satisfactionRate: ratio(satisfaction.satisfied + satisfaction.basically_satisfied, assessed),
    averageDaysToClose: days(sum('close_ms'), sum('close_timed')),
    escalationsByLevel: { '1': sum('l1'), '2': sum('l2'), '3': sum('l3'), '4': sum('l4') },
    reporterSatisfaction: verdicts(breakdowns.reporterVerdict),
  };
}

/** What happened in the window, from the facts the issues projection recorded at each event's time. */
function eventFigures(facts: FactCounts): Partial<IssueFigures> {
  const of = (fact: string) => facts[fact] ?? {};
  const count = (fact: string, detail?: string) =>
    detail === undefined ? Object.values(of(fact)).reduce((n, d) => n + d.n, 0) : (of(fact)[detail]?.n ?? 0);
  const byDetail = (fact: string) => sorted(Object.fromEntries(Object.entries(of(fact)).map(([k, d]) => [k, d.n])));
  const closings = of('closed');
  const closedMs = Object.values(closings).reduce((ms, d) => ms + d.value, 0);
  const satisfaction = verdicts(byDetail('assessed'));
  const assessed = satisfaction.satisfied + satisfaction.basically_satisfied + satisfaction.unsatisfied;
  return {
    byMode: byDetail('assigned'),
    byPartnerAgency: byDetail('partner'),
    assigned: count('assigned'),
    resultReported: count('result_reported'),
    closed: count('closed'),
    withdrawn: count('withdrawn'),
    resolved: count('resolved'),
    resolvedOnSpot: count('resolved', 'on_spot'),
    reopened: count('reopened'),
    redListed: count('listed', 'red'),
    blackListed: count('listed', 'black'),
    missedProgressReports: count('missed_progress'),
    onTimeRate: ratio(count('closed', 'on_time'), count('closed', 'on_time') + count('closed', 'late')),
    satisfaction,
    satisfactionRate: ratio(satisfaction.satisfied + satisfaction.basically_satisfied, assessed),
    averageDaysToClose: days(closedMs, count('closed')),
    escalationsByLevel: {
      '1': count('escalated', '1'),
      '2': count('escalated', '2'),
      '3': count('escalated', '3'),
      '4': count('escalated', '4'),
    },
  };
}
