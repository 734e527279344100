import type { Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';
import { requireInstant, requireText } from '../validation';
import type {
  CreateUnit,
  DeactivateUnit,
  MoveUnit,
  RenameUnit,
  SetUnitContacts,
  SetUnitHead,
  UnitCommand,
  UnitContacts,
  UnitHead,
} from './unit.commands';
import type { UnitEvent } from './unit.events';
import { evolveUnit, initialUnitState, UnitState } from './unit.state';
import { EMAIL_PATTERN } from './unit.vocabulary';

/**
 * The unit directory (DESIGN.md §2.3). Changes that change nothing (the same name, parent, head or
 * contacts) decide no events, so a retried command leaves no noise in the history. `decideUnit` checks
 * what every command shares (meta, existence, not deactivated), then hands it to its own function.
 */
export function decideUnit(command: UnitCommand, state: UnitState): UnitEvent[] {
  requireExistence(command, state);
  switch (command.type) {
    case 'CreateUnit':
      return createUnit(command, state);
    case 'RenameUnit':
      return renameUnit(command, state);
    case 'MoveUnit':
      return moveUnit(command, state);
    case 'SetUnitHead':
      return setUnitHead(command, state);
    case 'SetUnitContacts':
      return setUnitContacts(command, state);
    case 'DeactivateUnit':
      return deactivateUnit(command, state);
    default:
      return unknownCommand(command);
  }
}

/** What every unit event's data starts with, the command's meta checked. */
function eventBase(command: UnitCommand) {
  const unitId = requireText('unitId', command.data.unitId);
  const at = requireInstant('meta.at', command.meta.at);
  return { unitId, at, by: requireText('meta.actor.id', command.meta.actor?.id) };
}

function requireExistence(command: UnitCommand, state: UnitState): void {
  const { unitId } = eventBase(command);
  if (command.type === 'CreateUnit') {
    if (state.status !== 'none')
      throw new AlreadyExists(`a unit with code ${command.data.code} already exists (id ${unitId})`);
    return;
  }
  if (state.status === 'none') throw new NotFound(`unit ${unitId} does not exist`);
  if (state.id !== unitId) throw new InvalidCommand('unitId', `names unit ${unitId} but the state is unit ${state.id}`);
  if (state.status === 'deactivated') {
    throw new IllegalTransition(
      `cannot change a unit that is deactivated (${command.type}); deactivation is final, create a new unit instead`,
      state.status,
      command.type,
    );
  }
}

function unknownCommand(command: never): never {
  throw new InvalidCommand('type', `unknown unit command ${String(Reflect.get(Object(command), 'type'))}`);
}

/** A unit, under an optional parent; code uniqueness and the parent's existence are the application's. */
export function createUnit(command: CreateUnit, _state: UnitState): UnitEvent[] {
  const base = eventBase(command);
  const d = command.data;
  const parentId = requireParent(d.parentId, base.unitId);
  return [
    {
      type: 'UnitCreated',
      data: {
        ...base,
        code: requireText('code', d.code),
        name: requireText('name', d.name),
        parentId,
        head: d.head === undefined || d.head === null ? null : requireHead('head', d.head),
        contacts: d.contacts === undefined || d.contacts === null ? {} : requireContacts('contacts', d.contacts),
      },
    },
  ];
}

export function renameUnit(command: RenameUnit, state: UnitState): UnitEvent[] {
  const name = requireText('name', command.data.name);
  if (name === state.name) return [];
  return [{ type: 'UnitRenamed', data: { ...eventBase(command), name, previousName: state.name! } }];
}

/** Under another parent, or to the top; only the unit as its own parent is refused here (cycles are the application's). */
export function moveUnit(command: MoveUnit, state: UnitState): UnitEvent[] {
  const base = eventBase(command);
  const parentId = requireParent(command.data.parentId, base.unitId);
  if (parentId === state.parentId) return [];
  return [{ type: 'UnitMoved', data: { ...base, parentId, previousParentId: state.parentId } }];
}

export function setUnitHead(command: SetUnitHead, state: UnitState): UnitEvent[] {
  const { unitId: _, ...given } = command.data;
  const head = requireHead('', given);
  if (sameJson(head, state.head)) return [];
  return [{ type: 'UnitHeadSet', data: { ...eventBase(command), head } }];
}

/** Replaces both contacts: a field left out is cleared. */
export function setUnitContacts(command: SetUnitContacts, state: UnitState): UnitEvent[] {
  const { unitId: _, ...given } = command.data;
  const contacts = requireContacts('', given);
  if (sameJson(contacts, state.contacts)) return [];
  return [{ type: 'UnitContactsSet', data: { ...eventBase(command), contacts } }];
}

/** Final: every later command is refused. */
export function deactivateUnit(command: DeactivateUnit, _state: UnitState): UnitEvent[] {
  const reason = requireText('reason', command.data.reason);
  return [{ type: 'UnitDeactivated', data: { ...eventBase(command), reason } }];
}

function requireParent(value: string | null | undefined, unitId: string): string | null {
  const parentId = value === undefined || value === null ? null : requireText('parentId', value);
  if (parentId === unitId) throw new InvalidCommand('parentId', 'a unit cannot be its own parent');
  return parentId;
}

/** The fields are named as in the request body when they come nested (`head.name`), bare when not. */
const fieldName = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

function requireHead(prefix: string, value: Partial<UnitHead>): UnitHead {
  const name = requireText(fieldName(prefix, 'name'), value.name);
  return value.title === undefined || value.title === null
    ? { name }
    : { name, title: requireText(fieldName(prefix, 'title'), value.title) };
}

function requireContacts(prefix: string, value: Partial<UnitContacts>): UnitContacts {
  const contacts: UnitContacts = {};
  if (value.email !== undefined && value.email !== null) {
    if (typeof value.email !== 'string' || !EMAIL_PATTERN.test(value.email))
      throw new InvalidCommand(fieldName(prefix, 'email'), 'must be an e-mail address');
    contacts.email = value.email;
  }
  if (value.webhookUrl !== undefined && value.webhookUrl !== null) {
    if (!isHttpUrl(value.webhookUrl))
      throw new InvalidCommand(fieldName(prefix, 'webhookUrl'), 'must be an http or https URL');
    contacts.webhookUrl = value.webhookUrl;
  }
  return contacts;
}

function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Both sides are small plain objects built with keys in a fixed order. */
const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export const unitDecider: Decider<UnitState, UnitCommand, UnitEvent> = {
  decide: decideUnit,
  evolve: evolveUnit,
  initialState: initialUnitState,
};
