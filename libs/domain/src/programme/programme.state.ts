import type { ProgrammeEvent } from './programme.events';
import type { DatePeriod, LeadLeader, ProgrammeKind, ProgrammePhase } from './programme.vocabulary';

export interface ProgrammeState {
  id: string | null;
  /** `none` until created */
  status: 'none' | 'active';
  name: string | null;
  year: number | null;
  kind: ProgrammeKind | null;
  period: DatePeriod | null;
  leadLeader: LeadLeader | null;
  phases: ProgrammePhase[];
  targets: string[];
  createdAt: string | null;
  createdBy: string | null;
}

export function initialProgrammeState(): ProgrammeState {
  return {
    id: null,
    status: 'none',
    name: null,
    year: null,
    kind: null,
    period: null,
    leadLeader: null,
    phases: [],
    targets: [],
    createdAt: null,
    createdBy: null,
  };
}

export function evolveProgramme(state: ProgrammeState, event: ProgrammeEvent): ProgrammeState {
  switch (event.type) {
    case 'ProgrammeCreated': {
      const e = event.data;
      return {
        id: e.programmeId,
        status: 'active',
        name: e.name,
        year: e.year,
        kind: e.kind,
        period: e.period,
        leadLeader: e.leadLeader,
        phases: e.phases,
        targets: e.targets,
        createdAt: e.at,
        createdBy: e.by,
      };
    }
    default:
      return state;
  }
}
