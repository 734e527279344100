/**
 * The words and limits of an appraisal campaign (民主评议, DESIGN.md §7). The HTTP layer validates request
 * bodies against these, and the decider reads the list sizes and ranges it enforces from here too.
 */

export const ROUND_STATUSES = ['pending', 'open', 'closed'] as const;
export type RoundStatus = (typeof ROUND_STATUSES)[number];

/** What a campaign ranks: units (the default) or people (e.g. section chiefs, 科长). */
export const TARGET_KINDS = ['unit', 'person'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** A person's id as the campaign names them (an HR number, a UUID …). */
export const PERSON_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

/** A criterion, evaluator group or round key: short, lower-case, e.g. `efficiency`. */
export const APPRAISAL_KEY_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

/** An anonymous ballot token as handed out (its SHA-256 is what the log records). */
export const BALLOT_TOKEN_PATTERN = /^[A-Za-z0-9_-]{20,100}$/;

export const APPRAISAL_LIMITS = {
  name: 200,
  /** the name of a criterion, group or round; an evaluator's name */
  itemName: 100,
  key: 40,
  year: { min: 2000, max: 2100 },
  /** participating units, and exempt units among them */
  units: { min: 1, max: 2000 },
  /** criteria and evaluator groups */
  weightedItems: { min: 1, max: 20 },
  rounds: { min: 1, max: 10 },
  /** people appraised in one campaign */
  people: { min: 1, max: 5000 },
  personId: 64,
  personName: 100,
  /** systems (系统) of a campaign */
  systems: { max: 50 },
  /** the top N earned exempt from an earlier campaign, and the top N flagged advanced */
  top: { min: 0, max: 5000 },
  /** the bottom N ranked units */
  bottomCount: { min: 0, max: 2000 },
  /** the ends of a campaign's scale, and its low-score threshold */
  scale: { min: -1000, max: 1000 },
  tokensPerBatch: { min: 1, max: 10_000 },
  userId: 200,
  comment: 2000,
  ballotToken: 100,
  /** the time limit of a rectification issue opened by publishing */
  rectificationWorkingDays: { min: 1, max: 365 },
} as const;

/** What a campaign that does not say otherwise gets (and what campaigns created before these fields get). */
export const APPRAISAL_DEFAULTS = {
  /** the bottom N ranked units get a rectification issue, not only those under the threshold */
  bottomRectification: true,
  rectificationWorkingDays: 30,
  targetKind: 'unit' as const,
  targets: [] as never[],
  exemptTargetIds: [] as never[],
  exemptFrom: null,
  systems: [] as never[],
  advancedTop: 0,
} as const;
