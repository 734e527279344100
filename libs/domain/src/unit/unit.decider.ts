import type { CommandMeta, Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';

export interface UnitHead {
  name: string;
  title?: string;
}
export interface UnitContacts {
  email?: string;
  webhookUrl?: string;
}

type Cmd<T extends string, D> = { type: T; data: D & { unitId: string }; meta: CommandMeta };
export type CreateUnit = Cmd<'CreateUnit', { code: string; name: string; parentId?: string; head?: UnitHead; contacts?: UnitContacts }>;
export type RenameUnit = Cmd<'RenameUnit', { name: string }>;
/** Cycles across several units are checked by the application, which can see the directory. */
export type MoveUnit = Cmd<'MoveUnit', { parentId?: string }>;
export type SetUnitHead = Cmd<'SetUnitHead', UnitHead>;
export type SetUnitContacts = Cmd<'SetUnitContacts', UnitContacts>;
export type DeactivateUnit = Cmd<'DeactivateUnit', { reason: string }>;
export type UnitCommand = CreateUnit | RenameUnit | MoveUnit | SetUnitHead | SetUnitContacts | DeactivateUnit;

type Evt<T extends string, D> = { type: T; data: D & { unitId: string; at: string; by: string } };
export type UnitCreated = Evt<'UnitCreated', { code: string; name: string; parentId: string | null; head: UnitHead | null; contacts: UnitContacts }>;
export type UnitRenamed = Evt<'UnitRenamed', { name: string; previousName: string }>;
export type UnitMoved = Evt<'UnitMoved', { parentId: string | null; previousParentId: string | null }>;
export type UnitHeadSet = Evt<'UnitHeadSet', { head: UnitHead }>;
export type UnitContactsSet = Evt<'UnitContactsSet', { contacts: UnitContacts }>;
export type UnitDeactivated = Evt<'UnitDeactivated', { reason: string }>;
export type UnitEvent = UnitCreated | UnitRenamed | UnitMoved | UnitHeadSet | UnitContactsSet | UnitDeactivated;
export const UNIT_EVENT_TYPES: readonly UnitEvent['type'][] = ['UnitCreated', 'UnitRenamed', 'UnitMoved', 'UnitHeadSet', 'UnitContactsSet', 'UnitDeactivated'];

export interface UnitState {
  id: string | null;
  status: 'none' | 'active' | 'deactivated';
  code: string | null;
  name: string | null;
  parentId: string | null;
  head: UnitHead | null;
  contacts: UnitContacts;
  createdAt: string | null;
  deactivatedAt: string | null;
}

export function initialUnitState(): UnitState {
  return { id: null, status: 'none', code: null, name: null, parentId: null, head: null, contacts: {}, createdAt: null, deactivatedAt: null };
}

export function evolveUnit(state: UnitState, event: UnitEvent): UnitState {
  switch (event.type) {
    case 'UnitCreated':
      return {
        ...state,
        id: event.data.unitId,
        status: 'active',
        code: event.data.code,
        name: event.data.name,
        parentId: event.data.parentId,
        head: event.data.head,
        contacts: event.data.contacts,
        createdAt: event.data.at,
      };
    case 'UnitRenamed':
      return { ...state, name: event.data.name };
    case 'UnitMoved':
      return { ...state, parentId: event.data.parentId };
    case 'UnitHeadSet':
      return { ...state, head: event.data.head };
    case 'UnitContactsSet':
      return { ...state, contacts: event.data.contacts };
    case 'UnitDeactivated':
      return { ...state, status: 'deactivated', deactivatedAt: event.data.at };
    default:
      return state;
  }
}

export function decideUnit(command: UnitCommand, state: UnitState): UnitEvent[] {
  const base = { unitId: command.data.unitId, at: command.meta.at, by: command.meta.actor.id };
  if (command.type === 'CreateUnit') {
    if (state.status !== 'none') throw new AlreadyExists(`unit ${command.data.unitId} already exists`);
    const d = command.data;
    if (d.parentId === d.unitId) throw new InvalidCommand('parentId', 'a unit cannot be its own parent');
    return [{ type: 'UnitCreated', data: { ...base, code: d.code, name: d.name, parentId: d.parentId ?? null, head: d.head ?? null, contacts: d.contacts ?? {} } }];
  }
  if (state.status === 'none') throw new NotFound(`unit ${command.data.unitId} does not exist`);
  if (state.status === 'deactivated') {
    throw new IllegalTransition(`cannot change a unit that is deactivated (${command.type}); create a new unit instead`, state.status, command.type);
  }
  switch (command.type) {
    case 'RenameUnit':
      if (command.data.name === state.name) return [];
      return [{ type: 'UnitRenamed', data: { ...base, name: command.data.name, previousName: state.name! } }];
    case 'MoveUnit': {
      const parentId = command.data.parentId ?? null;
      if (parentId === command.data.unitId) throw new InvalidCommand('parentId', 'a unit cannot be its own parent');
      if (parentId === state.parentId) return [];
      return [{ type: 'UnitMoved', data: { ...base, parentId, previousParentId: state.parentId } }];
    }
    case 'SetUnitHead':
      return [{ type: 'UnitHeadSet', data: { ...base, head: { name: command.data.name, ...(command.data.title ? { title: command.data.title } : {}) } } }];
    case 'SetUnitContacts':
      return [{ type: 'UnitContactsSet', data: { ...base, contacts: { ...(command.data.email ? { email: command.data.email } : {}), ...(command.data.webhookUrl ? { webhookUrl: command.data.webhookUrl } : {}) } } }];
    case 'DeactivateUnit':
      return [{ type: 'UnitDeactivated', data: { ...base, reason: command.data.reason } }];
  }
}

export const unitDecider: Decider<UnitState, UnitCommand, UnitEvent> = { decide: decideUnit, evolve: evolveUnit, initialState: initialUnitState };

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
  };
}
