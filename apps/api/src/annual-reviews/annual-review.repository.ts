import { Injectable } from '@nestjs/common';
import type { IssueState } from '@duban/domain';
import { unitReportFigures, type UnitReportFigures } from '@duban/projections';
import { ReadModelService } from '../read-model/read-model.service';

export interface ReviewedUnit {
  id: string;
  code: string;
  name: string;
}

/** A unit's result in the year's published appraisal campaign. */
export interface AppraisalStanding {
  score: number;
  advanced: boolean;
}

/** The read models the year-end review reads: units, issues, the year's published appraisal, report requests. */
@Injectable()
export class AnnualReviewRepository {
  constructor(private readonly readModel: ReadModelService) {}

  /** The units named (those the directory knows), or every active unit; by code. */
  units(unitIds: string[] | null): ReviewedUnit[] {
    const db = this.readModel.db;
    if (unitIds === null)
      return db
        .prepare("SELECT id, code, name FROM units WHERE status = 'active' ORDER BY code")
        .all() as ReviewedUnit[];
    return db
      .prepare('SELECT id, code, name FROM units WHERE id IN (SELECT value FROM json_each(?)) ORDER BY code')
      .all(JSON.stringify(unitIds)) as ReviewedUnit[];
  }

  /** Every issue registered before the window's end (one registered later has no event inside it). */
  *issueStates(before: string): Generator<IssueState> {
    const rows = this.readModel.db
      .prepare('SELECT state FROM issues WHERE registered_at < ? ORDER BY registered_at, id')
      .iterate(before) as Iterable<{ state: string }>;
    for (const row of rows) yield JSON.parse(row.state) as IssueState;
  }

  /**
   * The units' standing in the year's published appraisal of units (the latest published, when there are
   * several); people appraisals do not count. `advanced` is the campaign's 先进 flag (`advancedTop`).
   */
  appraisal(year: number): Map<string, AppraisalStanding> {
    const rows = this.readModel.db
      .prepare(
        "SELECT definition, results FROM appraisal_campaigns WHERE year = ? AND status = 'published' ORDER BY updated_at DESC, id",
      )
      .all(year) as { definition: string; results: string }[];
    const campaign = rows.find((r) => (JSON.parse(r.definition) as { targetKind?: string }).targetKind !== 'person');
    const items = campaign
      ? (JSON.parse(campaign.results) as { items: { unitId: string; score: number; advanced?: boolean }[] }).items
      : [];
    return new Map(items.map((i) => [i.unitId, { score: i.score, advanced: i.advanced === true }]));
  }

  reports(window: { from: string; to: string; now: string }): Map<string, UnitReportFigures> {
    return unitReportFigures(this.readModel.db, window);
  }
}
