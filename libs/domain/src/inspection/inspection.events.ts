import type { IssueSource } from '../issue/issue.vocabulary';
import type { InspectionKind } from './inspection.vocabulary';

/** Every inspection event carries `inspectionId`, `at` (the command's time) and `by` (the actor's id). */
type InspectionEvt<T extends string, D> = { type: T; data: D & { inspectionId: string; at: string; by: string } };

export type InspectionRecorded = InspectionEvt<
  'InspectionRecorded',
  { kind: InspectionKind; date: string; team: string[]; unitIds: string[]; programmeId: string | null }
>;
/** `source` is the source of the issue registered for it, so readers need not know the rule. */
export type InspectionFindingRecorded = InspectionEvt<
  'InspectionFindingRecorded',
  { issueId: string; unitId: string; title: string; source: IssueSource }
>;

export type InspectionEvent = InspectionRecorded | InspectionFindingRecorded;
export type InspectionEventType = InspectionEvent['type'];

export const INSPECTION_EVENT_TYPES: readonly InspectionEventType[] = [
  'InspectionRecorded',
  'InspectionFindingRecorded',
];
