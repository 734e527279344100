import type { CommandMeta } from '../decider';
import type { RoundStatus, TargetKind } from './appraisal.vocabulary';

export interface Criterion {
  key: string;
  name: string;
  weight: number;
}
export interface EvaluatorGroup {
  key: string;
  name: string;
  weight: number;
}
export interface AppraisalRound {
  key: string;
  name: string;
}
/** the bottom N of the ranking: a count, or a share of the ranked units (rounded up) */
export type BottomRule = { count: number } | { share: number };

/** A participating unit and its code (the tie-break of the ranking), as the directory had it at creation. */
export interface CampaignUnit {
  unitId: string;
  code: string;
}

/** A person appraised (e.g. a 科长 in Baoji's appraisal of 189 section chiefs): ballots name their `id`. */
export interface CampaignPerson {
  id: string;
  name: string;
  unitId: string;
  title?: string;
}

/** A system (系统) of units ranked among themselves too (Hexi: 136 units in 9 systems); a unit in one system at most. */
export interface CampaignSystem {
  key: string;
  name: string;
  unitIds: string[];
}

/** 免评 earned: the top N of an earlier, published campaign are exempt; `targetIds` are those that take part here. */
export interface EarnedExemption {
  campaignId: string;
  top: number;
  targetIds: string[];
}

export interface CampaignDefinition {
  campaignId: string;
  name: string;
  year: number;
  /** `unit` (the default): the units are ranked; `person`: the people in `targets` are (their units are in `units`) */
  targetKind: TargetKind;
  /** unit campaigns: the units ranked; person campaigns: the units of the people ranked (for codes and systems) */
  units: CampaignUnit[];
  /** person campaigns only: the people ranked */
  targets: CampaignPerson[];
  /** 免评: exempt from scoring, not from rectification (unit campaigns) */
  exemptUnitIds: string[];
  /** 免评 people (person campaigns) */
  exemptTargetIds: string[];
  /** the exemptions earned by an earlier campaign's results, besides those named; null: none */
  exemptFrom: EarnedExemption | null;
  /** 系统: each ranked target also gets its rank within its (its unit's) system */
  systems: CampaignSystem[];
  /** the top N ranked targets (not bottom) are flagged `advanced` (先进); 0: none */
  advancedTop: number;
  criteria: Criterion[];
  scale: { min: number; max: number };
  groups: EvaluatorGroup[];
  rounds: AppraisalRound[];
  bottom: BottomRule;
  /** a ranked unit scoring under it gets a rectification issue when results are published; null: none */
  lowScoreThreshold: number | null;
  /** the bottom N ranked units get a rectification issue too */
  bottomRectification: boolean;
  /** the time limit, in working days, of each rectification issue publishing opens */
  rectificationWorkingDays: number;
}

/** One counted ballot, as scoring needs it. */
export interface TalliedBallot {
  ballotId: string;
  round: string;
  /** the unit voted on, or the voted person's unit */
  unitId: string;
  /** the target voted on: the person's id, or the unit's id (absent on ballots before people: the unit) */
  targetId?: string;
  group: string;
  scores: Record<string, number>;
}

export interface RankedUnit {
  rank: number;
  /** the unit ranked, or the ranked person's unit */
  unitId: string;
  /** the target ranked: the unit's id, or the person's id */
  targetId?: string;
  /** person campaigns: the person's name and title */
  name?: string;
  title?: string;
  /** the tie-break: the unit code (a person: their unit's code, then their id) */
  code: string;
  /** the target's system and its rank within it, when the campaign has systems (null: in none) */
  system?: string | null;
  systemRank?: number | null;
  /** one of the top `advancedTop` (先进), which the year-end review's bonus `advanced_in_appraisal` reads */
  advanced?: boolean;
  score: number;
  byGroup: Record<string, number>;
  byCriterion: Record<string, number>;
  ballots: number;
  bottom: boolean;
  /** published bottom units: 取消当年评优提拔资格 for the campaign's year */
  honoursDisqualified?: boolean;
}

export interface CampaignResults {
  items: RankedUnit[];
  /** 免评 units: never ranked */
  exempt: string[];
  /** participating units no counted ballot scored: not ranked */
  unrated: string[];
  ballotsCounted: number;
}

type Cmd<T extends string, D> = { type: T; data: D & { campaignId: string }; meta: CommandMeta };

/** The consequence settings are optional in the command; the decider fills in `APPRAISAL_DEFAULTS`. */
type ConsequenceSettings = 'bottomRectification' | 'rectificationWorkingDays';
/** Optional in the command, defaulted by the decider (unit campaigns without systems, no earned exemption, none advanced). */
export type NewSettings = 'targetKind' | 'targets' | 'exemptTargetIds' | 'systems' | 'advancedTop';
export type CreateCampaign = Cmd<
  'CreateCampaign',
  Omit<CampaignDefinition, 'campaignId' | ConsequenceSettings | NewSettings | 'exemptFrom'> &
    Partial<Pick<CampaignDefinition, ConsequenceSettings | NewSettings>> & {
      /** the exemption earned from an earlier campaign, with what the handler read of it */
      exemptFrom?: { campaignId: string; top: number; earlier: EarlierCampaign } | null;
    }
>;
/** a named evaluator (e.g. a supervisor 监督员) who votes with their account */
export type RegisterEvaluator = Cmd<'RegisterEvaluator', { group: string; userId: string; name: string }>;
/** anonymous ballot tokens: only their SHA-256 hashes are recorded, never who received them */
export type IssueBallotTokens = Cmd<'IssueBallotTokens', { group: string; batchId: string; tokenHashes: string[] }>;
export type OpenRound = Cmd<'OpenRound', { round: string }>;
export type CloseRound = Cmd<'CloseRound', { round: string }>;
/**
 * Publishing: the ballots counted (those committed before their round closed, read from the log) come in
 * the command; the decider scores them, so the published ranking is a pure function of the log.
 * `issueIdFor` holds the ids the rectification issues (bottom N and low scores) will get (deterministic).
 */
export type PublishResults = Cmd<'PublishResults', { ballots: TalliedBallot[]; issueIdFor: Record<string, string> }>;

/** What the handler read of the earlier campaign an exemption is earned from (the decider checks it). */
export interface EarlierCampaign {
  campaignId: string;
  exists: boolean;
  published: boolean;
  targetKind: TargetKind;
  /** its ranked targets' ids in rank order */
  ranking: string[];
}

export type AppraisalCommand =
  CreateCampaign | RegisterEvaluator | IssueBallotTokens | OpenRound | CloseRound | PublishResults;

/** A rectification issue publishing opens: for a bottom-N unit, a unit under the threshold, or both. */
export interface RectificationIssue {
  /** the unit that rectifies: the ranked unit, or the ranked person's unit */
  unitId: string;
  /** person campaigns: the person the issue is about */
  targetId?: string;
  issueId: string;
  score: number;
  bottom?: boolean;
  lowScore?: boolean;
}

type Evt<T extends string, D> = { type: T; data: D & { campaignId: string; at: string; by: string } };
/** Campaigns recorded before people, systems and earned exemptions lack those fields (evolve defaults them). */
export type CampaignCreated = Evt<
  'CampaignCreated',
  Omit<CampaignDefinition, 'campaignId' | NewSettings | 'exemptFrom'> &
    Partial<Pick<CampaignDefinition, NewSettings | 'exemptFrom'>>
>;
export type EvaluatorRegistered = Evt<'EvaluatorRegistered', { group: string; userId: string; name: string }>;
export type BallotTokensIssued = Evt<'BallotTokensIssued', { group: string; batchId: string; tokenHashes: string[] }>;
export type RoundOpened = Evt<'RoundOpened', { round: string }>;
export type RoundClosed = Evt<'RoundClosed', { round: string }>;
export type ResultsPublished = Evt<'ResultsPublished', CampaignResults & { issues: RectificationIssue[] }>;
export type AppraisalEvent =
  CampaignCreated | EvaluatorRegistered | BallotTokensIssued | RoundOpened | RoundClosed | ResultsPublished;

export const APPRAISAL_EVENT_TYPES = [
  'CampaignCreated',
  'EvaluatorRegistered',
  'BallotTokensIssued',
  'RoundOpened',
  'RoundClosed',
  'ResultsPublished',
] as const;

export interface AppraisalState {
  status: 'none' | 'running' | 'published';
  definition: CampaignDefinition | null;
  rounds: Record<string, RoundStatus>;
  /** userId → group */
  evaluators: Record<string, string>;
  /** token hash → group */
  tokens: Record<string, string>;
  results: ResultsPublished['data'] | null;
}
