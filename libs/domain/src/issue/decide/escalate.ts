import { InvalidCommand } from '../../errors';
import { requireInteger, requireText } from '../../validation';
import type { EscalateIssue } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { ESCALATION_LEVELS, ISSUE_LIMITS, type EscalationLevel } from '../issue.vocabulary';
import { ADVICE, assignFirst, eventBase, leadUnitOf, refuse, requireStatusFor, staleDeadlineVersion } from './refusals';

const NO_DEADLINE_RUNS = {
  ...assignFirst('escalation presses the unit rectifying it'),
  result_reported: 'its result awaits assessment, so no deadline runs',
  accepted: ADVICE.resultAcceptedNoDeadline,
};

const isEscalationLevel = (level: number): level is EscalationLevel => level in ESCALATION_LEVELS;

/** A rung of the ladder (1 督办 … 4 问责). */
function requireEscalationLevel(value: unknown): EscalationLevel {
  const { min, max } = ISSUE_LIMITS.escalationLevel;
  const level = requireInteger('level', value, min, max);
  if (!isEscalationLevel(level)) throw new InvalidCommand('level', `must be a whole number from ${min} to ${max}`);
  return level;
}

/**
 * Up the ladder (督办 … 问责), never down or to the same level. An automatic escalation (the deadline
 * worker's) applies only to the current deadline version once that deadline has passed.
 */
export function escalateIssue(command: EscalateIssue, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const d = command.data;
  const level = requireEscalationLevel(d.level);
  const reason = requireText('reason', d.reason);
  const automatic = d.automatic === true;
  const forVersion = automatic ? requireInteger('deadlineVersion', d.deadlineVersion, 1) : state.deadlineVersion;
  requireStatusFor(command.type, state, NO_DEADLINE_RUNS);
  const deadline = state.deadline!;
  if (automatic && forVersion !== state.deadlineVersion)
    refuse(command.type, state, staleDeadlineVersion(state.deadlineVersion, forVersion, 'escalation'));
  if (automatic && base.at < deadline)
    refuse(
      command.type,
      state,
      `its deadline (${deadline}) has not passed; automatic escalation is for overdue issues`,
    );
  if (level <= state.escalationLevel) {
    refuse(
      command.type,
      state,
      `it is already at level ${state.escalationLevel}, and escalations never go down or repeat; choose a level above ${state.escalationLevel}`,
    );
  }
  return [
    {
      type: 'IssueEscalated',
      data: {
        ...base,
        level,
        fromLevel: state.escalationLevel,
        reason,
        automatic,
        deadline,
        deadlineVersion: state.deadlineVersion,
        leadUnitId: leadUnitOf(state),
      },
    },
  ];
}
