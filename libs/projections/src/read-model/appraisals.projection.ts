import type Database from 'better-sqlite3';
import { APPRAISAL_EVENT_TYPES, type RankedUnit } from '@duban/domain';
import type { RecordedEvent } from '@duban/event-store';
import type { Projection } from '../projection';
import { statement } from '../statements';

/**
 * Appraisal campaigns and their ballots. A ballot counts when it was committed before its round closed
 * (`position < closed_position`): the tally of a closed round is frozen by the log's own order, so a
 * ballot racing the close is either in or out, the same for every reader and every rebuild.
 *
 * `appraisal_outcomes` holds each published campaign's ranked targets (units or people) one row each, so other
 * read sides query them without parsing results: the year-end review's bonus `advanced_in_appraisal` reads
 * `advanced = 1` rows of the year (`unit_id` is the unit ranked, or the ranked person's unit).
 */
export const appraisalsProjection: Projection = {
  name: 'appraisals',
  version: 2,
  schema: [
    `CREATE TABLE IF NOT EXISTS appraisal_campaigns (
      id TEXT PRIMARY KEY, name TEXT NOT NULL, year INTEGER NOT NULL, definition TEXT NOT NULL, status TEXT NOT NULL,
      results TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS appraisal_rounds (
      campaign_id TEXT NOT NULL, round TEXT NOT NULL, status TEXT NOT NULL, opened_position INTEGER, closed_position INTEGER,
      PRIMARY KEY (campaign_id, round)
    ) WITHOUT ROWID`,
    `CREATE TABLE IF NOT EXISTS appraisal_ballots (
      ballot_id TEXT PRIMARY KEY, campaign_id TEXT NOT NULL, round TEXT NOT NULL, unit_id TEXT NOT NULL, target_id TEXT NOT NULL, grp TEXT NOT NULL,
      scores TEXT NOT NULL, value REAL NOT NULL, comment TEXT, cast_at TEXT NOT NULL, position INTEGER NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS appraisal_ballots_campaign ON appraisal_ballots (campaign_id, round, position)',
    `CREATE TABLE IF NOT EXISTS appraisal_outcomes (
      campaign_id TEXT NOT NULL, year INTEGER NOT NULL, target_kind TEXT NOT NULL, target_id TEXT NOT NULL,
      unit_id TEXT NOT NULL, rank INTEGER NOT NULL, score REAL NOT NULL, system_key TEXT, system_rank INTEGER,
      bottom INTEGER NOT NULL, advanced INTEGER NOT NULL, honours_disqualified INTEGER NOT NULL, published_at TEXT NOT NULL,
      PRIMARY KEY (campaign_id, target_id)
    ) WITHOUT ROWID`,
    'CREATE INDEX IF NOT EXISTS appraisal_outcomes_year ON appraisal_outcomes (year, unit_id)',
  ],
  handles: new Set([...APPRAISAL_EVENT_TYPES, 'BallotCast']),
  apply(db: Database.Database, event: RecordedEvent) {
    const d = event.data;
    switch (event.type) {
      case 'CampaignCreated': {
        const { at, by: _by, ...definition } = d;
        statement(
          db,
          "INSERT INTO appraisal_campaigns (id, name, year, definition, status, created_at, updated_at) VALUES (?, ?, ?, ?, 'running', ?, ?)",
        ).run(d.campaignId, d.name, d.year, JSON.stringify(definition), at, at);
        const round = statement(
          db,
          "INSERT INTO appraisal_rounds (campaign_id, round, status) VALUES (?, ?, 'pending')",
        );
        for (const r of d.rounds as { key: string }[]) round.run(d.campaignId, r.key);
        return;
      }
      case 'RoundOpened':
        statement(
          db,
          "UPDATE appraisal_rounds SET status = 'open', opened_position = ? WHERE campaign_id = ? AND round = ?",
        ).run(event.position, d.campaignId, d.round);
        return;
      case 'RoundClosed':
        statement(
          db,
          "UPDATE appraisal_rounds SET status = 'closed', closed_position = ? WHERE campaign_id = ? AND round = ?",
        ).run(event.position, d.campaignId, d.round);
        return;
      case 'ResultsPublished': {
        const { at, by: _by, campaignId: _c, ...results } = d;
        statement(
          db,
          "UPDATE appraisal_campaigns SET status = 'published', results = ?, updated_at = ? WHERE id = ?",
        ).run(JSON.stringify(results), at, d.campaignId);
        recordOutcomes(db, d.campaignId, d.items ?? [], at);
        return;
      }
      case 'BallotCast':
        statement(
          db,
          'INSERT INTO appraisal_ballots (ballot_id, campaign_id, round, unit_id, target_id, grp, scores, value, comment, cast_at, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          d.ballotId,
          d.campaignId,
          d.round,
          d.unitId,
          d.targetId ?? d.unitId,
          d.group,
          JSON.stringify(d.scores),
          d.value,
          d.comment,
          d.at,
          event.position,
        );
        return;
      default:
        // evaluators and token batches: the campaign's stream answers for them
        return;
    }
  },
};

/** A published campaign's ranked targets, one row each (the campaign's year and kind from its stored definition). */
function recordOutcomes(db: Database.Database, campaignId: string, items: RankedUnit[], at: string): void {
  const campaign = statement(db, 'SELECT year, definition FROM appraisal_campaigns WHERE id = ?').get(campaignId) as
    { year: number; definition: string } | undefined;
  if (!campaign) return;
  const kind = (JSON.parse(campaign.definition) as { targetKind?: string }).targetKind ?? 'unit';
  const insert = statement(
    db,
    `INSERT OR REPLACE INTO appraisal_outcomes (campaign_id, year, target_kind, target_id, unit_id, rank, score, system_key,
     system_rank, bottom, advanced, honours_disqualified, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const i of items)
    insert.run(
      campaignId,
      campaign.year,
      kind,
      i.targetId ?? i.unitId,
      i.unitId,
      i.rank,
      i.score,
      i.system ?? null,
      i.systemRank ?? null,
      i.bottom ? 1 : 0,
      i.advanced ? 1 : 0,
      i.honoursDisqualified ? 1 : 0,
      at,
    );
}
