import type { DatePeriod, LeadLeader, ProgrammeKind, ProgrammePhase } from './programme.vocabulary';

/** Every programme event carries `programmeId`, `at` (the command's time) and `by` (the actor's id). */
type ProgrammeEvt<T extends string, D> = { type: T; data: D & { programmeId: string; at: string; by: string } };

/** Optional fields are `null` or `[]`, never absent, so the JSON is stable. */
export type ProgrammeCreated = ProgrammeEvt<
  'ProgrammeCreated',
  {
    name: string;
    year: number;
    kind: ProgrammeKind;
    period: DatePeriod;
    leadLeader: LeadLeader | null;
    phases: ProgrammePhase[];
    targets: string[];
  }
>;

export type ProgrammeEvent = ProgrammeCreated;
export type ProgrammeEventType = ProgrammeEvent['type'];

export const PROGRAMME_EVENT_TYPES: readonly ProgrammeEventType[] = ['ProgrammeCreated'];
