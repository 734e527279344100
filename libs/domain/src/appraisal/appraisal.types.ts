import type { CommandMeta } from '../decider';
import type { RoundStatus } from './appraisal.vocabulary';

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

export interface CampaignDefinition {
  campaignId: string;
  name: string;
  year: number;
  units: CampaignUnit[];
  /** 免评: exempt from scoring, not from rectification */
  exemptUnitIds: string[];
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
  unitId: string;
  group: string;
  scores: Record<string, number>;
}

export interface RankedUnit {
  rank: number;
  unitId: string;
  code: string;
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
export type CreateCampaign = Cmd<
  'CreateCampaign',
  Omit<CampaignDefinition, 'campaignId' | ConsequenceSettings> & Partial<Pick<CampaignDefinition, ConsequenceSettings>>
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

export type AppraisalCommand =
  CreateCampaign | RegisterEvaluator | IssueBallotTokens | OpenRound | CloseRound | PublishResults;

/** A rectification issue publishing opens: for a bottom-N unit, a unit under the threshold, or both. */
export interface RectificationIssue {
  unitId: string;
  issueId: string;
  score: number;
  bottom?: boolean;
  lowScore?: boolean;
}

type Evt<T extends string, D> = { type: T; data: D & { campaignId: string; at: string; by: string } };
export type CampaignCreated = Evt<'CampaignCreated', Omit<CampaignDefinition, 'campaignId'>>;
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
