import type { Decider } from '../decider';
import { AlreadyExists, IllegalTransition, InvalidCommand, NotFound } from '../errors';
import { requireInstant, requireText } from '../validation';
import type { UnitCommand, UnitContacts, UnitHead } from './unit.commands';
import type { UnitEvent } from './unit.events';
import { evolveUnit, initialUnitState, UnitState } from './unit.state';

/**
 * The unit directory (DESIGN.md §2.3). Changes that change nothing (the same name, parent, head or
 * contacts) decide no events, so a retried command leaves no noise in the history.
 */
export function decideUnit(command: UnitCommand, state: UnitState): UnitEvent[] {
  const unitId = requireText('unitId', command.data.unitId);
  const base = {
    unitId,
    at: requireInstant('meta.at', command.meta.at),
    by: requireText('meta.actor.id', command.meta.actor?.id),
  };

  if (command.type === 'CreateUnit') {
    if (state.status !== 'none') throw new AlreadyExists(`unit ${unitId} already exists`);
    const d = command.data;
    const parentId = d.parentId === undefined || d.parentId === null ? null : requireText('parentId', d.parentId);
    if (parentId === unitId) throw new InvalidCommand('parentId', 'a unit cannot be its own parent');
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

  if (state.status === 'none') throw new NotFound(`unit ${unitId} does not exist`);
  if (state.id !== unitId) throw new InvalidCommand('unitId', `names unit ${unitId} but the state is unit ${state.id}`);
  if (state.status === 'deactivated') {
    throw new IllegalTransition(
      `cannot change a unit that is deactivated (${command.type}); deactivation is final, create a new unit instead`,
      state.status,
      command.type,
    );
  }

  switch (command.type) {
    case 'RenameUnit': {
      const name = requireText('name', command.data.name);
      if (name === state.name) return [];
      return [{ type: 'UnitRenamed', data: { ...base, name, previousName: state.name! } }];
    }
    case 'MoveUnit': {
      const parentId =
        command.data.parentId === undefined || command.data.parentId === null
          ? null
          : requireText('parentId', command.data.parentId);
      if (parentId === unitId) throw new InvalidCommand('parentId', 'a unit cannot be its own parent');
      if (parentId === state.parentId) return [];
      return [{ type: 'UnitMoved', data: { ...base, parentId, previousParentId: state.parentId } }];
    }
    case 'SetUnitHead': {
      const { unitId: _, ...given } = command.data;
      const head = requireHead('', given);
      if (sameJson(head, state.head)) return [];
      return [{ type: 'UnitHeadSet', data: { ...base, head } }];
    }
    case 'SetUnitContacts': {
      const { unitId: _, ...given } = command.data;
      const contacts = requireContacts('', given);
      if (sameJson(contacts, state.contacts)) return [];
      return [{ type: 'UnitContactsSet', data: { ...base, contacts } }];
    }
    case 'DeactivateUnit':
      return [{ type: 'UnitDeactivated', data: { ...base, reason: requireText('reason', command.data.reason) } }];
    default: {
      const unknown: never = command;
      throw new InvalidCommand('type', `unknown unit command ${(unknown as { type: string }).type}`);
    }
  }
}

/** The fields are named as in the request body when they come nested (`head.name`), bare when not. */
const fieldName = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

function requireHead(prefix: string, value: Partial<UnitHead>): UnitHead {
  const name = requireText(fieldName(prefix, 'name'), value.name);
  return value.title === undefined || value.title === null
    ? { name }
    : { name, title: requireText(fieldName(prefix, 'title'), value.title) };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function requireContacts(prefix: string, value: Partial<UnitContacts>): UnitContacts {
  const contacts: UnitContacts = {};
  if (value.email !== undefined && value.email !== null) {
    if (typeof value.email !== 'string' || !EMAIL.test(value.email))
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
