import { requireAttachmentRefs } from '../../attachment/attachment-ref';
import { requireText } from '../../validation';
import type { ReportResult } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import { NEXT_STEP } from '../issue.lifecycle';
import type { IssueState } from '../issue.state';
import { eventBase, lapsePendingExtension, leadUnitOf, requireStatusFor } from './refusals';

/** 上报整改结果: also straight from assigned (立行立改); on time when no later than the deadline in force. */
export function reportResult(command: ReportResult, state: IssueState): IssueEvent[] {
  const base = eventBase(command);
  const summary = requireText('summary', command.data.summary);
  const evidence = requireAttachmentRefs('evidence', command.data.evidence);
  requireStatusFor(command.type, state, {
    result_reported: 'a result was already reported and awaits assessment',
    accepted: `its result was accepted; ${NEXT_STEP.accepted}`,
  });
  const deadline = state.deadline!;
  return [
    {
      type: 'ResultReported',
      data: {
        ...base,
        summary,
        evidence,
        leadUnitId: leadUnitOf(state),
        deadline,
        deadlineVersion: state.deadlineVersion,
        onTime: base.at <= deadline,
      },
    },
    ...lapsePendingExtension(state, base, 'result_reported'),
  ];
}
