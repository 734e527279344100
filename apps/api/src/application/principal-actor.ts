import type { CommandActor } from '@duban/domain';
import { primaryRole, Principal } from '../auth/principal';

/** The actor recorded on events for an authenticated caller. */
export function actorOf(principal: Principal): CommandActor {
  return {
    id: principal.id,
    role: primaryRole(principal),
    name: principal.name,
    ...(principal.unitId ? { unitId: principal.unitId } : {}),
  };
}
