import { requireFutureInstant, requireInteger, requireText } from '../../validation';
import type { OrderTimeLimit, ReopenIssue } from '../issue.commands';
import { ISSUE_LIMITS } from '../issue.vocabulary';

/** A deadline the office sets anew (a time-limit order, a reopening): after the command, with a reason. */
export function requireNewDeadline(d: (OrderTimeLimit | ReopenIssue)['data'], at: string) {
  const { min, max } = ISSUE_LIMITS.deadlineWorkingDays;
  return {
    deadline: requireFutureInstant('deadline', d.deadline, at),
    deadlineWorkingDays:
      d.deadlineWorkingDays === undefined
        ? null
        : requireInteger('deadlineWorkingDays', d.deadlineWorkingDays, min, max),
    ...(d.provisionalYears?.length ? { provisionalYears: [...d.provisionalYears] } : {}),
    reason: requireText('reason', d.reason),
  };
}
