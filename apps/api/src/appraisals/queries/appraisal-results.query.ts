import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { CampaignDefinition, CampaignResults, scoreCampaign, TalliedBallot } from '@duban/domain';
import type { Principal } from '../../auth/principal';
import { ReadModelService } from '../../read-model/read-model.service';

export interface ResultItem {
  rank: number;
  /** the target ranked: the unit's id, or the person's id */
  targetId: string;
  /** the unit ranked, or the ranked person's unit */
  unitId: string;
  /** a person: their name and title */
  name?: string;
  title?: string;
  code: string;
  /** with systems: the target's system (null: in none) and its rank within it */
  system?: string | null;
  systemRank?: number | null;
  /** with advancedTop: one of the top N (先进) */
  advanced?: boolean;
  score: number;
  bottom: boolean;
  /** 取消当年评优提拔资格: a published bottom-N target loses the year's honours (false before publication) */
  honoursDisqualified: boolean;
  byGroup: Record<string, number>;
  byCriterion: Record<string, number>;
  ballots: number;
  issueIds: string[];
  issues: { id: string; status: string }[];
}

export interface AppraisalResults {
  campaignId: string;
  name: string;
  year: number;
  targetKind: 'unit' | 'person';
  published: boolean;
  systems: { key: string; name: string }[];
  advancedTop: number;
  groups: { key: string; name: string }[];
  criteria: { key: string; name: string }[];
  items: ResultItem[];
  exempt: string[];
  unrated: string[];
  ballotsCounted: number;
}

const OFFICE_ROLES = new Set(['registrar', 'admin', 'auditor']);

/**
 * Results: once published, the ranking recorded in the log (with the status of the issues opened from
 * it); before that, for the office and auditors only, a provisional tally of the ballots so far.
 * Unit officers see their own unit's row, after publication.
 */
@Injectable()
export class AppraisalResultsQuery {
  constructor(private readonly readModel: ReadModelService) {}

  results(campaignId: string, principal: Principal): AppraisalResults {
    const db = this.readModel.db;
    const row = db
      .prepare('SELECT name, year, definition, status, results FROM appraisal_campaigns WHERE id = ?')
      .get(campaignId) as
      { name: string; year: number; definition: string; status: string; results: string | null } | undefined;
    if (!row) throw new NotFoundException(`appraisal campaign ${campaignId} does not exist`);
    const office = principal.roles.some((r) => OFFICE_ROLES.has(r));
    const published = row.status === 'published';
    if (!published && !office) throw new ForbiddenException('the results are not published yet');
    if (!office && !principal.roles.includes('unit_officer'))
      throw new ForbiddenException(
        "results are for the office, auditors, and each unit's own officers after publication",
      );
    const definition = JSON.parse(row.definition) as CampaignDefinition;
    let results: CampaignResults & { issues?: { unitId: string; issueId: string }[] };
    if (published) {
      results = JSON.parse(row.results!);
    } else {
      // provisional: every ballot so far, closed rounds only up to their close
      const ballots = db
        .prepare(
          `SELECT b.ballot_id AS ballotId, b.round, b.unit_id AS unitId, b.target_id AS targetId, b.grp AS "group", b.scores
           FROM appraisal_ballots b
           JOIN appraisal_rounds r ON r.campaign_id = b.campaign_id AND r.round = b.round
           WHERE b.campaign_id = ? AND (r.closed_position IS NULL OR b.position < r.closed_position)`,
        )
        .all(campaignId) as (Omit<TalliedBallot, 'scores'> & { scores: string })[];
      results = scoreCampaign(
        { ...definition, campaignId },
        ballots.map((b) => ({ ...b, scores: JSON.parse(b.scores) })),
      );
    }
    const issueIds = new Map<string, string[]>();
    for (const i of (results.issues ?? []) as { unitId: string; targetId?: string; issueId: string }[]) {
      const target = i.targetId ?? i.unitId;
      issueIds.set(target, [...(issueIds.get(target) ?? []), i.issueId]);
    }
    const all = [...issueIds.values()].flat();
    const statuses = new Map(
      all.length
        ? (
            db.prepare(`SELECT id, status FROM issues WHERE id IN (${all.map(() => '?').join(',')})`).all(...all) as {
              id: string;
              status: string;
            }[]
          ).map((r) => [r.id, r.status])
        : [],
    );
    let items: ResultItem[] = results.items.map((item) => {
      const targetId = item.targetId ?? item.unitId;
      const ids = issueIds.get(targetId) ?? [];
      return {
        ...item,
        targetId,
        honoursDisqualified: published && item.honoursDisqualified === true,
        issueIds: ids,
        issues: ids.map((id) => ({ id, status: statuses.get(id) ?? 'registering' })),
      };
    });
    if (!office) items = items.filter((i) => i.unitId === principal.unitId);
    return {
      campaignId,
      name: row.name,
      year: row.year,
      targetKind: definition.targetKind ?? 'unit',
      published,
      systems: (definition.systems ?? []).map(({ key, name }) => ({ key, name })),
      advancedTop: definition.advancedTop ?? 0,
      groups: definition.groups.map(({ key, name }) => ({ key, name })),
      criteria: definition.criteria.map(({ key, name }) => ({ key, name })),
      items,
      exempt: results.exempt,
      unrated: office ? results.unrated : [],
      ballotsCounted: office ? results.ballotsCounted : 0,
    };
  }
}
