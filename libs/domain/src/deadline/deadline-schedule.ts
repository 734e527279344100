import type { EscalationLevel } from '../issue/issue.vocabulary';
import { ESCALATION_LEVELS } from '../issue/issue.vocabulary';

/** An ISO-8601 duration and its length (the configuration parses it once). */
export interface PolicyOffset {
  iso: string;
  ms: number;
}

/** `DEADLINE_REMINDERS` (before the deadline) and `DEADLINE_ESCALATIONS` (after it, one per level 1..4). */
export interface DeadlinePolicy {
  reminders: readonly PolicyOffset[];
  escalations: readonly PolicyOffset[];
}

/** A deadline in force: an issue's deadline of one version, set at `setAt`. */
export interface RunningDeadline {
  issueId: string;
  deadline: string;
  deadlineVersion: number;
  setAt: string;
}

export type DeadlineStep =
  | { kind: 'reminder'; offset: string; dueAt: string }
  | { kind: 'escalation'; level: EscalationLevel; offset: string; dueAt: string };

/** What the worker has already recorded for the running deadline version. */
export interface DeadlineProgress {
  remindedOffsets: readonly string[];
  escalationLevel: number;
}

/**
 * Every step of one deadline version, in the order they come due: the reminders before the deadline,
 * then the escalation ladder after it. A reminder that was already due when the deadline was set
 * (a short deadline, a late extension) is left out: it would remind of something the unit just heard.
 */
export function deadlineSteps(policy: DeadlinePolicy, running: RunningDeadline): DeadlineStep[] {
  const deadline = Date.parse(running.deadline);
  const setAt = Date.parse(running.setAt);
  const reminders: DeadlineStep[] = policy.reminders
    .map((r) => ({ kind: 'reminder' as const, offset: r.iso, due: deadline - r.ms }))
    .filter((r) => r.due >= setAt)
    .map(({ kind, offset, due }) => ({ kind, offset, dueAt: new Date(due).toISOString() }));
  const escalations: DeadlineStep[] = policy.escalations.map((e, i) => ({
    kind: 'escalation' as const,
    level: (i + 1) as EscalationLevel,
    offset: e.iso,
    dueAt: new Date(deadline + e.ms).toISOString(),
  }));
  // stable: equal due times keep reminders before escalations, and levels in order
  return [...reminders, ...escalations].sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
}

/** The steps that are due at `now` and not yet recorded, oldest first: what a firing job must catch up on. */
export function dueSteps(steps: readonly DeadlineStep[], now: string, done: DeadlineProgress): DeadlineStep[] {
  return steps.filter((s) => s.dueAt <= now && !isDone(s, done));
}

export function isDone(step: DeadlineStep, done: DeadlineProgress): boolean {
  return step.kind === 'reminder' ? done.remindedOffsets.includes(step.offset) : step.level <= done.escalationLevel;
}

/** A step's name, unique within one deadline version and safe in a BullMQ job id (no `:`). */
export function stepKey(step: DeadlineStep): string {
  return step.kind === 'reminder' ? `reminder-${step.offset}` : `escalation-${step.level}`;
}

/** The reason recorded on an automatic escalation. */
export function automaticEscalationReason(level: EscalationLevel, deadline: string): string {
  return `逾期未整改，自动升级 (overdue since ${deadline}): ${ESCALATION_LEVELS[level]}`;
}
