import { Injectable } from '@nestjs/common';
import type { CampaignDefinition, CampaignResults, TalliedBallot, UnitHead } from '@duban/domain';
import { ReadModelService } from '../read-model/read-model.service';

/** What the campaign use cases read from the read model: unit codes and heads, stored definitions, counted ballots. */
@Injectable()
export class AppraisalRepository {
  constructor(private readonly readModel: ReadModelService) {}

  unitCodes(unitIds: string[]): Map<string, string> {
    const rows = this.readModel.db
      .prepare(`SELECT id, code FROM units WHERE id IN (${unitIds.map(() => '?').join(',')})`)
      .all(...unitIds) as { id: string; code: string }[];
    return new Map(rows.map((r) => [r.id, r.code]));
  }

  unitName(unitId: string): string | null {
    const row = this.readModel.db.prepare('SELECT name FROM units WHERE id = ?').get(unitId) as
      { name: string } | undefined;
    return row?.name ?? null;
  }

  unitHead(unitId: string): UnitHead | null {
    const row = this.readModel.db.prepare('SELECT head FROM units WHERE id = ?').get(unitId) as
      { head: string | null } | undefined;
    return row?.head ? (JSON.parse(row.head) as UnitHead) : null;
  }

  campaign(campaignId: string): { name: string; definition: CampaignDefinition } | undefined {
    const row = this.readModel.db
      .prepare('SELECT name, definition FROM appraisal_campaigns WHERE id = ?')
      .get(campaignId) as { name: string; definition: string } | undefined;
    return row && { name: row.name, definition: JSON.parse(row.definition) as CampaignDefinition };
  }

  /** The ballots that count: committed before their round closed, as the log orders them. */
  countedBallots(campaignId: string): TalliedBallot[] {
    const rows = this.readModel.db
      .prepare(
        `SELECT b.ballot_id AS ballotId, b.round, b.unit_id AS unitId, b.target_id AS targetId, b.grp AS "group", b.scores
         FROM appraisal_ballots b JOIN appraisal_rounds r ON r.campaign_id = b.campaign_id AND r.round = b.round
         WHERE b.campaign_id = ? AND r.closed_position IS NOT NULL AND b.position < r.closed_position`,
      )
      .all(campaignId) as (Omit<TalliedBallot, 'scores'> & { scores: string })[];
    return rows.map((r) => ({ ...r, scores: JSON.parse(r.scores) as Record<string, number> }));
  }

  /** The recorded results of a published campaign; null when not published (undefined when no such campaign). */
  publishedResults(campaignId: string): CampaignResults | null | undefined {
    const row = this.readModel.db
      .prepare('SELECT status, results FROM appraisal_campaigns WHERE id = ?')
      .get(campaignId) as { status: string; results: string | null } | undefined;
    if (!row) return undefined;
    return row.status === 'published' && row.results ? (JSON.parse(row.results) as CampaignResults) : null;
  }

  status(campaignId: string): string | undefined {
    const row = this.readModel.db.prepare('SELECT status FROM appraisal_campaigns WHERE id = ?').get(campaignId) as
      { status: string } | undefined;
    return row?.status;
  }

  /** The comments of the ballots that counted for a unit, with the ballot id only to order them by. */
  comments(campaignId: string, unitId: string): { ballotId: string; round: string; comment: string }[] {
    return this.readModel.db
      .prepare(
        `SELECT b.ballot_id AS ballotId, b.round, b.comment FROM appraisal_ballots b
         JOIN appraisal_rounds r ON r.campaign_id = b.campaign_id AND r.round = b.round
         WHERE b.campaign_id = ? AND b.unit_id = ? AND b.comment IS NOT NULL AND b.comment != ''
           AND r.closed_position IS NOT NULL AND b.position < r.closed_position`,
      )
      .all(campaignId, unitId) as { ballotId: string; round: string; comment: string }[];
  }
}
