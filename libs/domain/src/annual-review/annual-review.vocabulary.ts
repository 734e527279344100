/**
 * The words and limits of the year-end review (年度考核, DESIGN.md §7.1): what each item measures, which way is
 * better, and when a bonus applies. The HTTP layer validates bodies against these; the results query reads
 * each metric from the read models by these names.
 */

/**
 * Each metric, per unit and reviewed year (README "Unit reports and the year-end review" says how each is counted):
 * on-time rate, satisfaction rate, escalations, findings, accountability measures, the unit's score in that
 * year's published appraisal, the share of reports asked of it submitted on time, monthly progress reports
 * missed, issues red-listed, issues black-listed.
 */
export const ANNUAL_REVIEW_METRICS = [
  'onTimeRate',
  'satisfactionRate',
  'escalations',
  'findings',
  'accountability',
  'appraisalScore',
  'reportsOnTime',
  'missedProgressReports',
  'redListed',
  'blackListed',
] as const;
export type AnnualReviewMetric = (typeof ANNUAL_REVIEW_METRICS)[number];

export const ANNUAL_REVIEW_METRIC_NAMES: Record<AnnualReviewMetric, { zh: string; en: string }> = {
  onTimeRate: { zh: '按期办结率', en: 'on-time rate' },
  satisfactionRate: { zh: '满意率', en: 'satisfaction rate' },
  escalations: { zh: '升级督办次数', en: 'escalations' },
  findings: { zh: '整改不实认定次数', en: 'findings' },
  accountability: { zh: '责任追究次数', en: 'accountability measures' },
  appraisalScore: { zh: '民主评议得分', en: 'appraisal score' },
  reportsOnTime: { zh: '按时报送率', en: 'reports on time' },
  missedProgressReports: { zh: '逾期未报进度次数', en: 'missed progress reports' },
  redListed: { zh: '上红榜次数', en: 'red-listed' },
  blackListed: { zh: '上黑榜次数', en: 'black-listed' },
};

export const BETTER_DIRECTIONS = ['higher', 'lower'] as const;
export type BetterDirection = (typeof BETTER_DIRECTIONS)[number];

/** 评为先进 in that year's published appraisal (its `advanced` flag); an issue of the unit's on the red list that year. */
export const ANNUAL_REVIEW_BONUS_CONDITIONS = ['advanced_in_appraisal', 'red_listed'] as const;
export type AnnualReviewBonusCondition = (typeof ANNUAL_REVIEW_BONUS_CONDITIONS)[number];

export const ANNUAL_REVIEW_LIMITS = {
  items: 30,
  bonuses: 10,
  name: 100,
  unitIds: 1000,
  /** bonus points either way (a negative bonus is a deduction, 扣分) */
  bonusPoints: 100,
  yearMin: 2000,
  yearMax: 2100,
  /** how far the weights' sum may be from 1 (decimal fractions such as 0.1 + 0.2 do not add up exactly) */
  weightTolerance: 1e-9,
} as const;

/** Item and bonus keys: lower-case words, usable as CSV/XLSX column keys. */
export const ANNUAL_REVIEW_KEY = /^[a-z][a-zA-Z0-9_]{0,39}$/;
