import type { CommandMeta } from '../decider';
import type { InspectionKind } from './inspection.vocabulary';

/** Every inspection command: `{type, data, meta}`; `data.inspectionId` names the aggregate. */
type InspectionCmd<T extends string, D> = { type: T; data: D & { inspectionId: string }; meta: CommandMeta };

/** 明察暗访/专项督察: who went where, when. Whether the units and the programme exist is the application's job. */
export type RecordInspection = InspectionCmd<
  'RecordInspection',
  { kind: InspectionKind; date: string; team: string[]; unitIds: string[]; programmeId?: string }
>;

/** A finding at one of the units checked; `issueId` is the issue it is registered as (the application registers it). */
export type RecordInspectionFinding = InspectionCmd<
  'RecordInspectionFinding',
  { issueId: string; unitId: string; title: string }
>;

export type InspectionCommand = RecordInspection | RecordInspectionFinding;
export type InspectionCommandType = InspectionCommand['type'];
