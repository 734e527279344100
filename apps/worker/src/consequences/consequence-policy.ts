import { readFileSync } from 'node:fs';
import { ConfigError } from '@duban/config';
import { ACCOUNTABILITY_MEASURES, ISSUE_LIMITS, type AccountabilityMeasure } from '@duban/domain';

/** What follows a black listing (黑榜): 通报批评, 重点督办, 限期整改, 责任追究 (DESIGN §7.1, the Baoji seed). */
export interface BlackListRule {
  criticismNotice: boolean;
  escalateToLevel: number | null;
  timeLimitWorkingDays: number | null;
  /** the measure proposed for a person's decision (责任追究), or null for none */
  proposal: AccountabilityMeasure | null;
  /** also create and publish a criticism notice (通报) naming the lead unit */
  notice: boolean;
}

/** What follows a finding (弄虚作假 / 整改不扎实不到位). */
export interface FindingRule {
  /** proposed against the lead unit's principal leader (约谈主要负责人), or null */
  proposal: AccountabilityMeasure | null;
  /** reopened when closed, else a new time limit; null for neither */
  timeLimitWorkingDays: number | null;
}

/** After `after` monthly progress reports were reminded (missed) on one issue: an escalation to `escalateToLevel`. */
export interface MissedProgressRule {
  after: number;
  escalateToLevel: number;
}

/** The rules as data (CONSEQUENCE_POLICY_FILE); a rule set to null is off. */
export interface ConsequencePolicy {
  blackList: BlackListRule | null;
  falsified: FindingRule | null;
  perfunctory: FindingRule | null;
  missedProgressReports: MissedProgressRule | null;
}

/** The seeds: 通报批评、重点督办、限期整改、责任追究; 约谈主要负责人 for falsification; 督办 after two missed reports. */
export const DEFAULT_CONSEQUENCE_POLICY: ConsequencePolicy = {
  blackList: {
    criticismNotice: true,
    escalateToLevel: 2,
    timeLimitWorkingDays: 15,
    proposal: 'disciplinary_referral',
    notice: true,
  },
  falsified: { proposal: 'summons', timeLimitWorkingDays: 15 },
  perfunctory: { proposal: null, timeLimitWorkingDays: 15 },
  missedProgressReports: { after: 2, escalateToLevel: 1 },
};

export const CONSEQUENCE_POLICY_VARIABLE = 'CONSEQUENCE_POLICY_FILE';

class PolicyError extends Error {}

/** Reads CONSEQUENCE_POLICY_FILE (the seeds' defaults when unset); a bad file is one ConfigError line. */
export function loadConsequencePolicy(env: Record<string, string | undefined> = process.env): ConsequencePolicy {
  const file = env[CONSEQUENCE_POLICY_VARIABLE]?.trim();
  if (!file) return DEFAULT_CONSEQUENCE_POLICY;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(CONSEQUENCE_POLICY_VARIABLE, `cannot be read (${file}): ${(error as Error).message}`);
  }
  try {
    return parseConsequencePolicy(JSON.parse(text));
  } catch (error) {
    throw new ConfigError(CONSEQUENCE_POLICY_VARIABLE, `(${file}) ${(error as Error).message}`);
  }
}

/** Validates a policy object; fields left out keep the default, unknown ones are refused. */
export function parseConsequencePolicy(value: unknown): ConsequencePolicy {
  const root = record(value, 'the policy');
  only(root, Object.keys(DEFAULT_CONSEQUENCE_POLICY), 'the policy');
  const d = DEFAULT_CONSEQUENCE_POLICY;
  return {
    blackList: section(root, 'blackList', (o) => ({
      criticismNotice: bool(o, 'blackList.criticismNotice', d.blackList!.criticismNotice),
      escalateToLevel: level(o, 'blackList.escalateToLevel', d.blackList!.escalateToLevel),
      timeLimitWorkingDays: workingDays(o, 'blackList.timeLimitWorkingDays', d.blackList!.timeLimitWorkingDays),
      proposal: measure(o, 'blackList.proposal', d.blackList!.proposal),
      notice: bool(o, 'blackList.notice', d.blackList!.notice),
    })),
    falsified: section(root, 'falsified', (o) => findingRule(o, 'falsified', d.falsified!)),
    perfunctory: section(root, 'perfunctory', (o) => findingRule(o, 'perfunctory', d.perfunctory!)),
    missedProgressReports: section(root, 'missedProgressReports', (o) => ({
      after: integer(o, 'missedProgressReports.after', 1, 120) ?? d.missedProgressReports!.after,
      escalateToLevel: level(o, 'missedProgressReports.escalateToLevel', 1) ?? 1,
    })),
  };
}

function findingRule(o: Record<string, unknown>, name: string, fallback: FindingRule): FindingRule {
  return {
    proposal: measure(o, `${name}.proposal`, fallback.proposal),
    timeLimitWorkingDays: workingDays(o, `${name}.timeLimitWorkingDays`, fallback.timeLimitWorkingDays),
  };
}

const SECTION_KEYS: Record<keyof ConsequencePolicy, string[]> = {
  blackList: Object.keys(DEFAULT_CONSEQUENCE_POLICY.blackList!),
  falsified: Object.keys(DEFAULT_CONSEQUENCE_POLICY.falsified!),
  perfunctory: Object.keys(DEFAULT_CONSEQUENCE_POLICY.perfunctory!),
  missedProgressReports: Object.keys(DEFAULT_CONSEQUENCE_POLICY.missedProgressReports!),
};

/** A section: absent keeps the default, null turns the rule off, an object is read field by field. */
function section<K extends keyof ConsequencePolicy>(
  root: Record<string, unknown>,
  key: K,
  read: (o: Record<string, unknown>) => NonNullable<ConsequencePolicy[K]>,
): ConsequencePolicy[K] {
  if (!(key in root)) return DEFAULT_CONSEQUENCE_POLICY[key];
  if (root[key] === null) return null as ConsequencePolicy[K];
  const o = record(root[key], key);
  only(o, SECTION_KEYS[key], key);
  return read(o);
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PolicyError(`${where} must be a JSON object`);
  return value as Record<string, unknown>;
}

function only(o: Record<string, unknown>, keys: string[], where: string): void {
  const unknown = Object.keys(o).filter((k) => !keys.includes(k));
  if (unknown.length)
    throw new PolicyError(`${where} has unknown field(s) ${unknown.join(', ')}; known: ${keys.join(', ')}`);
}

function bool(o: Record<string, unknown>, path: string, fallback: boolean): boolean {
  const v = o[path.split('.').pop()!];
  if (v === undefined) return fallback;
  if (typeof v !== 'boolean') throw new PolicyError(`${path} must be true or false`);
  return v;
}

function integer(o: Record<string, unknown>, path: string, min: number, max: number): number | null | undefined {
  const v = o[path.split('.').pop()!];
  if (v === undefined || v === null) return v;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    throw new PolicyError(`${path} must be a whole number from ${min} to ${max}, or null`);
  return v;
}

function level(o: Record<string, unknown>, path: string, fallback: number | null): number | null {
  const { min, max } = ISSUE_LIMITS.escalationLevel;
  const v = integer(o, path, min, max);
  return v === undefined ? fallback : v;
}

function workingDays(o: Record<string, unknown>, path: string, fallback: number | null): number | null {
  const { min, max } = ISSUE_LIMITS.deadlineWorkingDays;
  const v = integer(o, path, min, max);
  return v === undefined ? fallback : v;
}

function measure(
  o: Record<string, unknown>,
  path: string,
  fallback: AccountabilityMeasure | null,
): AccountabilityMeasure | null {
  const v = o[path.split('.').pop()!];
  if (v === undefined) return fallback;
  if (v === null) return null;
  if (typeof v !== 'string' || !(ACCOUNTABILITY_MEASURES as readonly string[]).includes(v))
    throw new PolicyError(`${path} must be one of ${ACCOUNTABILITY_MEASURES.join(', ')}, or null`);
  return v as AccountabilityMeasure;
}
