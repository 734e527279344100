import type { Principal } from '../auth/principal';

/** Unit officers see their unit's notifications; the office (registrar, admin, auditor) sees all, its own included. */
export function visibleToCaller(principal: Principal, unitId: string | null): boolean {
  if (principal.roles.some((r) => r !== 'unit_officer')) return true;
  return unitId !== null && unitId === principal.unitId;
}
