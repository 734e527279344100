/**
 * The words and limits of programmes (专项行动, 攻坚战, 重点工作; DESIGN.md §7.1). A programme's tasks are
 * issues of kind `task` naming it; the HTTP layer validates request bodies against these.
 */

/** 专项行动/攻坚战 (a campaign with battles), 重点工作 (a key work of the year) */
export const PROGRAMME_KINDS = ['campaign', 'key_work'] as const;
export type ProgrammeKind = (typeof PROGRAMME_KINDS)[number];

export const PROGRAMME_KIND_NAMES: Record<ProgrammeKind, { zh: string; en: string }> = {
  campaign: { zh: '专项行动', en: 'Campaign' },
  key_work: { zh: '重点工作', en: 'Key work' },
};

/** A phase key names a phase (a battle, 攻坚战) in URLs, filters and the task's `phase`: letters, digits, `_`, `-`. */
export const PHASE_KEY_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Maximum lengths in characters, list sizes and the years a programme may run in. */
export const PROGRAMME_LIMITS = {
  name: 200,
  year: { min: 2000, max: 2100 },
  phases: 50,
  phaseKey: 50,
  phaseName: 200,
  targets: 100,
  target: 2000,
} as const;

/** A phase of a programme: 第一阶段, or one of 五大攻坚战, with its own dates inside the programme's period. */
export interface ProgrammePhase {
  key: string;
  name: string;
  from: string;
  to: string;
}

/** Calendar dates `YYYY-MM-DD`, both days included. */
export interface DatePeriod {
  from: string;
  to: string;
}

/** 牵头市领导: the leader in charge of the programme. */
export interface LeadLeader {
  name: string;
  title: string;
}
