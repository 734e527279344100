import type { InspectionEvent } from './inspection.events';
import type { InspectionKind } from './inspection.vocabulary';

export interface InspectionFinding {
  issueId: string;
  unitId: string;
  title: string;
  at: string;
  by: string;
}

export interface InspectionState {
  id: string | null;
  /** `none` until recorded */
  status: 'none' | 'recorded';
  kind: InspectionKind | null;
  date: string | null;
  team: string[];
  unitIds: string[];
  programmeId: string | null;
  findings: InspectionFinding[];
  recordedAt: string | null;
  recordedBy: string | null;
}

export function initialInspectionState(): InspectionState {
  return {
    id: null,
    status: 'none',
    kind: null,
    date: null,
    team: [],
    unitIds: [],
    programmeId: null,
    findings: [],
    recordedAt: null,
    recordedBy: null,
  };
}

export function evolveInspection(state: InspectionState, event: InspectionEvent): InspectionState {
  switch (event.type) {
    case 'InspectionRecorded': {
      const e = event.data;
      return {
        ...initialInspectionState(),
        id: e.inspectionId,
        status: 'recorded',
        kind: e.kind,
        date: e.date,
        team: e.team,
        unitIds: e.unitIds,
        programmeId: e.programmeId,
        recordedAt: e.at,
        recordedBy: e.by,
      };
    }
    case 'InspectionFindingRecorded': {
      const { issueId, unitId, title, at, by } = event.data;
      return { ...state, findings: [...state.findings, { issueId, unitId, title, at, by }] };
    }
    default:
      return state;
  }
}
