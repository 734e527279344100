import { optionalAttachments } from '../../attachment/attachment-ref';
import { InvalidCommand } from '../../errors';
import { requireDateOrInstant, requireText } from '../../validation';
import type { SubmitPlan } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import type { Measure } from '../issue.vocabulary';
import { eventBase, leadUnitOf, requireStatusFor } from './refusals';

/** 整改任务书、时间表: a later plan replaces the earlier one. */
export function submitPlan(command: SubmitPlan, state: IssueState): IssueEvent[] {
  const measures = requireMeasures(command.data.measures, state.deadline);
  const attachments = optionalAttachments(command.data.attachments);
  requireStatusFor(command.type, state);
  return [
    { type: 'PlanSubmitted', data: { ...eventBase(command), measures, leadUnitId: leadUnitOf(state), ...attachments } },
  ];
}

/** At least one measure, each with a description, an owner and a due date no later than the deadline. */
function requireMeasures(value: unknown, deadline: string | null): Measure[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new InvalidCommand('measures', 'a plan needs at least one measure');
  return value.map((m: Partial<Measure> | undefined, i) => {
    const field = `measures[${i}]`;
    if (typeof m !== 'object' || m === null) throw new InvalidCommand(field, 'must be {description, owner, dueDate}');
    const dueDate = requireDateOrInstant(`${field}.dueDate`, m.dueDate);
    // the decider knows no time zone: a date is late only after the deadline's UTC date (lenient by under a day)
    const late = deadline !== null && (dueDate.length === 10 ? dueDate > deadline.slice(0, 10) : dueDate > deadline);
    if (late) {
      throw new InvalidCommand(
        `${field}.dueDate`,
        `is after the issue's deadline (${deadline}); request an extension first`,
      );
    }
    return {
      description: requireText(`${field}.description`, m.description),
      owner: requireText(`${field}.owner`, m.owner),
      dueDate,
    };
  });
}
