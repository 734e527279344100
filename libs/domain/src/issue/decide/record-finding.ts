import { optionalAttachments } from '../../attachment/attachment-ref';
import { requireOneOf, requireText } from '../../validation';
import type { RecordFinding } from '../issue.commands';
import type { IssueEvent } from '../issue.events';
import type { IssueState } from '../issue.state';
import { FINDING_KINDS } from '../issue.vocabulary';
import { assignFirst, eventBase, leadUnitOf, requireStatusFor } from './refusals';

const UNASSIGNED = assignFirst('a finding counts against the unit rectifying it');

/** 整改不扎实不到位、弄虚作假: counts against the lead unit, even after closing (falsification found later). */
export function recordFinding(command: RecordFinding, state: IssueState): IssueEvent[] {
  const kind = requireOneOf('kind', command.data.kind, FINDING_KINDS);
  const note = requireText('note', command.data.note);
  const attachments = optionalAttachments(command.data.attachments);
  requireStatusFor(command.type, state, UNASSIGNED);
  return [
    {
      type: 'FindingRecorded',
      data: { ...eventBase(command), kind, note, leadUnitId: leadUnitOf(state), ...attachments },
    },
  ];
}
