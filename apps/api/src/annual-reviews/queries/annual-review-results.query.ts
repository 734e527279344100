import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DateTime } from 'luxon';
import { annualReviewStream, CommandRunner } from '@duban/application';
import { CONFIG, DubanConfig } from '@duban/config';
import {
  annualReviewDecider,
  AnnualReviewMetric,
  AnnualReviewResult,
  AnnualReviewState,
  AnnualReviewUnitFigures,
  IssueState,
  scoreAnnualReview,
} from '@duban/domain';
import { AnnualReviewRepository, ReviewedUnit } from '../annual-review.repository';

/** The year in the agency's time zone, as UTC instants: `[from, to)`. */
export function yearWindow(year: number, tz: string): { from: string; to: string } {
  const start = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: tz });
  return { from: start.toUTC().toISO()!, to: start.plus({ years: 1 }).toUTC().toISO()! };
}

/** Counts per unit of what happened in the window, read from the issues' folded states. */
class IssueTally {
  private readonly counts = new Map<string, Record<string, number>>();
  constructor(private readonly window: { from: string; to: string }) {}

  inWindow = (at: string | null | undefined): boolean => !!at && at >= this.window.from && at < this.window.to;

  add(unitId: string | null | undefined, key: string, n = 1): void {
    if (!unitId || n === 0) return;
    const c = this.counts.get(unitId) ?? {};
    c[key] = (c[key] ?? 0) + n;
    this.counts.set(unitId, c);
  }

  get(unitId: string, key: string): number {
    return this.counts.get(unitId)?.[key] ?? 0;
  }

  /** What one issue contributes: to its lead unit, except accountability, which goes to the unit it targets. */
  issue(s: IssueState): void {
    const lead = s.leadUnitId;
    const inWindow = this.inWindow;
    if (inWindow(s.closedAt)) {
      this.add(lead, 'closed');
      if (s.closedOnTime) this.add(lead, 'closedOnTime');
    }
    const verdict = s.assessments[s.assessments.length - 1];
    if (verdict && inWindow(verdict.at)) {
      this.add(lead, 'assessed');
      if (verdict.verdict !== 'unsatisfied') this.add(lead, 'satisfied');
    }
    this.add(lead, 'escalations', s.escalations.filter((e) => inWindow(e.at)).length);
    this.add(lead, 'findings', s.findings.filter((f) => inWindow(f.at)).length);
    this.add(lead, 'redListed', s.lists.filter((l) => l.list === 'red' && inWindow(l.at)).length);
    this.add(lead, 'blackListed', s.lists.filter((l) => l.list === 'black' && inWindow(l.at)).length);
    this.add(lead, 'missedProgressReports', s.progressRequests.filter((p) => inWindow(p.remindedAt)).length);
    for (const a of s.accountability)
      if (inWindow(a.at)) this.add(a.target.unitId ?? (a.target.kind === 'person' ? lead : null), 'accountability');
  }
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

export interface AnnualReviewResults {
  year: number;
  window: { from: string; to: string };
  computedAt: string;
  definition: Pick<AnnualReviewState, 'items' | 'bonuses' | 'unitIds'>;
  items: (AnnualReviewResult & { name: string })[];
}

/**
 * 年度考核 results: each reviewed unit's raw figures for the year (TZ_AGENCY), each counted by when it happened —
 * closures, latest assessments, escalations, findings, accountability measures, listings, missed progress reports
 * in the year, reports due in the year, the year's published appraisal — then scored by `scoreAnnualReview`.
 */
@Injectable()
export class AnnualReviewResultsQuery {
  constructor(
    private readonly runner: CommandRunner,
    private readonly repository: AnnualReviewRepository,
    @Inject(CONFIG) private readonly config: DubanConfig,
  ) {}

  async definition(year: number): Promise<AnnualReviewState & { revision: number }> {
    const { state, revision } = await this.runner.load(annualReviewStream(year), annualReviewDecider);
    if (revision < 0) throw new NotFoundException(`no year-end review for ${year}`);
    return { ...state, revision };
  }

  async results(year: number): Promise<AnnualReviewResults> {
    const review = await this.definition(year);
    const window = yearWindow(year, this.config.tzAgency);
    const computedAt = new Date().toISOString();
    const units = this.repository.units(review.unitIds);
    const figures = this.figures(units, year, window, computedAt);
    const names = new Map(units.map((u) => [u.id, u.name]));
    return {
      year,
      window,
      computedAt,
      definition: { items: review.items, bonuses: review.bonuses, unitIds: review.unitIds },
      items: scoreAnnualReview(review, figures).map((r) => ({ ...r, name: names.get(r.unitId) ?? '' })),
    };
  }

  private figures(
    units: ReviewedUnit[],
    year: number,
    window: { from: string; to: string },
    now: string,
  ): AnnualReviewUnitFigures[] {
    const tally = new IssueTally(window);
    for (const state of this.repository.issueStates(window.to)) tally.issue(state);
    const appraisal = this.repository.appraisal(year);
    const reports = this.repository.reports({ ...window, now });
    return units.map((unit) => {
      const count = (key: string) => tally.get(unit.id, key);
      const r = reports.get(unit.id);
      const values: Record<AnnualReviewMetric, number | null> = {
        onTimeRate: rate(count('closedOnTime'), count('closed')),
        satisfactionRate: rate(count('satisfied'), count('assessed')),
        escalations: count('escalations'),
        findings: count('findings'),
        accountability: count('accountability'),
        appraisalScore: appraisal.get(unit.id)?.score ?? null,
        reportsOnTime: r ? rate(r.onTime, r.onTime + r.late + r.missing) : null,
        missedProgressReports: count('missedProgressReports'),
        redListed: count('redListed'),
        blackListed: count('blackListed'),
      };
      return {
        unitId: unit.id,
        code: unit.code,
        values,
        conditions: {
          advanced_in_appraisal: appraisal.get(unit.id)?.advanced === true,
          red_listed: count('redListed') > 0,
        },
      };
    });
  }
}
