export const ROLES = ['registrar', 'unit_officer', 'assessor', 'auditor', 'admin', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, from the JWT's claims. */
export interface Principal {
  id: string;
  name: string;
  roles: Role[];
  /** the unit a unit officer is bound to */
  unitId?: string;
  /** the units a supervisor (监督员) supervises */
  unitIds?: string[];
}

export function hasRole(principal: Principal, ...roles: Role[]): boolean {
  return principal.roles.some((r) => r === 'admin' || roles.includes(r));
}

/** The role recorded on events: the strongest role the caller used. */
export function primaryRole(principal: Principal): Role {
  for (const role of ['admin', 'registrar', 'assessor', 'unit_officer', 'supervisor', 'auditor'] as const)
    if (principal.roles.includes(role)) return role;
  return principal.roles[0];
}
