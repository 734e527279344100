import type { IssueState, IssueStatus } from '../issue';
import { isOpenStatus } from '../issue';
import type { DeadlineProgress, RunningDeadline } from './deadline-schedule';

/**
 * An issue as the deadline worker sees it: the deadline in force, how far its steps have gone, and whether
 * it still runs. Derived from the folded state only, so the worker's schedule can never disagree with
 * the decider that refuses a stale step.
 */
export interface DeadlineView extends RunningDeadline, DeadlineProgress {
  status: IssueStatus;
  leadUnitId: string;
  /** the deadline runs (assigned, in progress, reopened): reminders and escalations apply */
  open: boolean;
  /** the latest month the worker asked for a progress report (按月上报) */
  progressMonth: string | null;
}

/** The deadline view of an issue; null until it has been assigned (no deadline has ever run). */
export function deadlineViewOf(state: IssueState): DeadlineView | null {
  const { id, status, deadline, leadUnitId, assignedAt, deadlineVersion } = state;
  if (id === null || status === 'none' || deadline === null || leadUnitId === null || assignedAt === null) return null;
  return {
    issueId: id,
    status,
    leadUnitId,
    deadline,
    deadlineVersion,
    // the history's last entry is the change that set the deadline in force
    setAt: state.deadlineHistory.at(-1)?.at ?? assignedAt,
    escalationLevel: state.escalationLevel,
    remindedOffsets: state.reminders.filter((r) => r.deadlineVersion === deadlineVersion).map((r) => r.offset),
    open: isOpenStatus(status),
    progressMonth: state.progressRequests.at(-1)?.month ?? null,
  };
}
