import type { CommandMeta } from '../decider';

export interface UnitHead {
  name: string;
  title?: string;
}

/** Where notifications for the unit go. */
export interface UnitContacts {
  email?: string;
  /** http(s); deliveries are signed with HMAC-SHA256 */
  webhookUrl?: string;
}

/** Every unit command: `{type, data, meta}`; `data.unitId` names the aggregate. */
type UnitCmd<T extends string, D> = { type: T; data: D & { unitId: string }; meta: CommandMeta };

/** Code uniqueness is the application's job (it derives the unit id from the code). */
export type CreateUnit = UnitCmd<
  'CreateUnit',
  { code: string; name: string; parentId?: string; head?: UnitHead; contacts?: UnitContacts }
>;
export type RenameUnit = UnitCmd<'RenameUnit', { name: string }>;
/**
 * Under another parent, or to the top without `parentId`. The decider refuses only the unit as its own
 * parent: cycles through several units, and whether the parent exists and is active, are checked by the
 * application, which can read the directory.
 */
export type MoveUnit = UnitCmd<'MoveUnit', { parentId?: string }>;
export type SetUnitHead = UnitCmd<'SetUnitHead', UnitHead>;
/** Replaces both contacts: a field left out is cleared. */
export type SetUnitContacts = UnitCmd<'SetUnitContacts', UnitContacts>;
/** Final: a deactivated unit refuses every change. */
export type DeactivateUnit = UnitCmd<'DeactivateUnit', { reason: string }>;

export type UnitCommand = CreateUnit | RenameUnit | MoveUnit | SetUnitHead | SetUnitContacts | DeactivateUnit;
export type UnitCommandType = UnitCommand['type'];
