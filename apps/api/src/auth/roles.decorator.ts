import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal';

export const REQUIRED_ROLES = 'duban:roles';
/** Any of these roles may call the endpoint (admin always may). */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);
