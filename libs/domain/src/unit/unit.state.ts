import type { UnitContacts, UnitHead } from './unit.commands';
import type { UnitEvent } from './unit.events';
import type { UnitStatus } from './unit.vocabulary';

export interface UnitState {
  id: string | null;
  /** `none` until created */
  status: 'none' | UnitStatus;
  code: string | null;
  name: string | null;
  parentId: string | null;
  head: UnitHead | null;
  contacts: UnitContacts;
  createdAt: string | null;
  deactivatedAt: string | null;
  deactivationReason: string | null;
  /** the time of the latest event */
  updatedAt: string | null;
}

export function initialUnitState(): UnitState {
  return {
    id: null,
    status: 'none',
    code: null,
    name: null,
    parentId: null,
    head: null,
    contacts: {},
    createdAt: null,
    deactivatedAt: null,
    deactivationReason: null,
    updatedAt: null,
  };
}

export function evolveUnit(state: UnitState, event: UnitEvent): UnitState {
  const next = applyUnitEvent(state, event);
  return next === state ? state : { ...next, updatedAt: event.data.at };
}

function applyUnitEvent(state: UnitState, event: UnitEvent): UnitState {
  switch (event.type) {
    case 'UnitCreated': {
      const e = event.data;
      return {
        ...initialUnitState(),
        id: e.unitId,
        status: 'active',
        code: e.code,
        name: e.name,
        parentId: e.parentId,
        head: e.head,
        contacts: e.contacts,
        createdAt: e.at,
      };
    }
    case 'UnitRenamed':
      return { ...state, name: event.data.name };
    case 'UnitMoved':
      return { ...state, parentId: event.data.parentId };
    case 'UnitHeadSet':
      return { ...state, head: event.data.head };
    case 'UnitContactsSet':
      return { ...state, contacts: event.data.contacts };
    case 'UnitDeactivated':
      return { ...state, status: 'deactivated', deactivatedAt: event.data.at, deactivationReason: event.data.reason };
    default:
      return state;
  }
}

/** What `GET /units/:id` answers. */
export function unitView(state: UnitState) {
  return {
    id: state.id,
    code: state.code,
    name: state.name,
    parentId: state.parentId,
    head: state.head,
    contacts: state.contacts,
    status: state.status,
    createdAt: state.createdAt,
    deactivatedAt: state.deactivatedAt,
    deactivationReason: state.deactivationReason,
    updatedAt: state.updatedAt,
  };
}

export type UnitView = ReturnType<typeof unitView>;
