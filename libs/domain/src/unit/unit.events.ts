import type { UnitContacts, UnitHead } from './unit.commands';

/** Every unit event carries `unitId`, `at` (the command's time) and `by` (the actor's id). */
type UnitEvt<T extends string, D> = { type: T; data: D & { unitId: string; at: string; by: string } };

export type UnitCreated = UnitEvt<
  'UnitCreated',
  { code: string; name: string; parentId: string | null; head: UnitHead | null; contacts: UnitContacts }
>;
export type UnitRenamed = UnitEvt<'UnitRenamed', { name: string; previousName: string }>;
export type UnitMoved = UnitEvt<'UnitMoved', { parentId: string | null; previousParentId: string | null }>;
export type UnitHeadSet = UnitEvt<'UnitHeadSet', { head: UnitHead }>;
export type UnitContactsSet = UnitEvt<'UnitContactsSet', { contacts: UnitContacts }>;
export type UnitDeactivated = UnitEvt<'UnitDeactivated', { reason: string }>;

export type UnitEvent = UnitCreated | UnitRenamed | UnitMoved | UnitHeadSet | UnitContactsSet | UnitDeactivated;
export type UnitEventType = UnitEvent['type'];

export const UNIT_EVENT_TYPES: readonly UnitEventType[] = [
  'UnitCreated',
  'UnitRenamed',
  'UnitMoved',
  'UnitHeadSet',
  'UnitContactsSet',
  'UnitDeactivated',
];
