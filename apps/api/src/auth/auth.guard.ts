import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { IS_PUBLIC } from './public.decorator';
import { REQUIRED_ROLES } from './roles.decorator';
import { hasRole, Principal, Role, ROLES } from './principal';

/**
 * Every endpoint needs a valid HS256 bearer token unless marked @Public(); @Roles() narrows who
 * may call it. Unit scoping (a unit officer sees only their unit's issues) is checked where the
 * issue is known, in the services.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    request.principal = await this.authenticate(request);
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !hasRole(request.principal, ...required)) {
      throw new ForbiddenException(
        `this action needs one of the roles ${required.join(', ')}; the token has ${request.principal.roles.join(', ')}`,
      );
    }
    return true;
  }

  private async authenticate(request: Request): Promise<Principal> {
    const header = request.headers.authorization;
    if (!header) throw new UnauthorizedException('a bearer token is required (Authorization: Bearer <JWT>)');
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('the Authorization header must be "Bearer <JWT>"');
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync(match[1], { algorithms: ['HS256'] });
    } catch (error) {
      throw new UnauthorizedException(`the token is not valid: ${(error as Error).message}`);
    }
    return principalFromClaims(claims);
  }
}

export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const { sub, name, roles, unitId } = claims;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 200)
    throw new UnauthorizedException('the token has no valid "sub" claim');
  if (
    !Array.isArray(roles) ||
    roles.length === 0 ||
    !roles.every((r) => (ROLES as readonly string[]).includes(r as string))
  ) {
    throw new UnauthorizedException(`the token's "roles" claim must be a non-empty array of ${ROLES.join(', ')}`);
  }
  if (unitId !== undefined && (typeof unitId !== 'string' || unitId.length > 200))
    throw new UnauthorizedException('the token\'s "unitId" claim must be a string');
  if (roles.includes('unit_officer') && !unitId)
    throw new UnauthorizedException('a unit officer\'s token must carry the "unitId" claim');
  return {
    id: sub,
    name: typeof name === 'string' ? name : sub,
    roles: roles as Role[],
    ...(unitId ? { unitId: unitId as string } : {}),
  };
}
