import type { Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';
import { requireDate, requireInstant, requireOneOf, requireStringList, requireText } from '../validation';
import type { InspectionCommand, RecordInspection, RecordInspectionFinding } from './inspection.commands';
import type { InspectionEvent } from './inspection.events';
import { evolveInspection, initialInspectionState, InspectionState } from './inspection.state';
import { INSPECTION_FINDING_SOURCES, INSPECTION_KINDS, INSPECTION_LIMITS } from './inspection.vocabulary';

/**
 * Inspections (明察暗访, 专项督察, DESIGN.md §7.1): a team checks named units on a day; each finding becomes an
 * issue of its own (source `inspection` or `undercover_visit`), so rectification runs as for any issue and the
 * inspection keeps the list of what it found where.
 */
export function decideInspection(command: InspectionCommand, state: InspectionState): InspectionEvent[] {
  switch (command.type) {
    case 'RecordInspection':
      return recordInspection(command, state);
    case 'RecordInspectionFinding':
      return recordInspectionFinding(command, state);
    default:
      return unknownCommand(command);
  }
}

function unknownCommand(command: never): never {
  throw new InvalidCommand('type', `unknown inspection command ${String(Reflect.get(Object(command), 'type'))}`);
}

function eventBase(command: InspectionCommand) {
  return {
    inspectionId: requireText('inspectionId', command.data.inspectionId),
    at: requireInstant('meta.at', command.meta.at),
    by: requireText('meta.actor.id', command.meta.actor?.id),
  };
}

/** A team of at least one person checks at least one unit; a unit or member named twice counts once. */
export function recordInspection(command: RecordInspection, state: InspectionState): InspectionEvent[] {
  const base = eventBase(command);
  if (state.status !== 'none') throw new AlreadyExists(`inspection ${base.inspectionId} already exists`);
  const d = command.data;
  const team = [...new Set(requireStringList('team', d.team))];
  if (team.length === 0) throw new InvalidCommand('team', 'must name at least one member of the team');
  const unitIds = [...new Set(requireStringList('unitIds', d.unitIds))];
  if (unitIds.length === 0) throw new InvalidCommand('unitIds', 'must name at least one unit checked');
  return [
    {
      type: 'InspectionRecorded',
      data: {
        ...base,
        kind: requireOneOf('kind', d.kind, INSPECTION_KINDS),
        date: requireDate('date', d.date),
        team,
        unitIds,
        programmeId: d.programmeId === undefined ? null : requireText('programmeId', d.programmeId),
      },
    },
  ];
}

/** A finding is at a unit the inspection checked; each issue is recorded once. */
export function recordInspectionFinding(command: RecordInspectionFinding, state: InspectionState): InspectionEvent[] {
  const base = eventBase(command);
  if (state.status === 'none') throw new NotFound(`inspection ${base.inspectionId} does not exist`);
  const d = command.data;
  const unitId = requireText('unitId', d.unitId);
  if (!state.unitIds.includes(unitId))
    throw new InvalidCommand(
      'unitId',
      `unit ${unitId} was not checked by this inspection; it checked ${state.unitIds.join(', ')} (record a new inspection for another unit)`,
    );
  const issueId = requireText('issueId', d.issueId);
  if (state.findings.some((f) => f.issueId === issueId))
    throw new AlreadyExists(`issue ${issueId} is already a finding of inspection ${base.inspectionId}`);
  if (state.findings.length >= INSPECTION_LIMITS.findings)
    throw new IllegalTransition(
      `inspection ${base.inspectionId} has ${state.findings.length} findings, the most one inspection holds; record a new inspection`,
      state.status,
      command.type,
    );
  return [
    {
      type: 'InspectionFindingRecorded',
      data: {
        ...base,
        issueId,
        unitId,
        title: requireText('title', d.title),
        source: INSPECTION_FINDING_SOURCES[state.kind!],
      },
    },
  ];
}

export const inspectionDecider: Decider<InspectionState, InspectionCommand, InspectionEvent> = {
  decide: decideInspection,
  evolve: evolveInspection,
  initialState: initialInspectionState,
};
