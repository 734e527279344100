import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { CONFIG, type DubanConfig } from '@duban/config';
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
  private readonly verified = new VerifiedTokens();

  constructor(
    private readonly jwt: JwtService,
    private readonly reflector: Reflector,
    @Inject(CONFIG) private readonly config: DubanConfig,
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
    const token = match[1];
    const now = Date.now();
    const known = this.verified.get(token, now);
    if (known) return known;
    const { principal, expiresAt } = await verifiedToken(this.jwt, token, this.config);
    this.verified.remember(token, principal, Math.min(now + VERIFIED_TOKEN_TTL_MS, expiresAt));
    return principal;
  }
}

/** how long a verified token is answered from memory (an expiry inside it is still honoured to the second) */
const VERIFIED_TOKEN_TTL_MS = 30_000;
const VERIFIED_TOKENS_MAX = 10_000;

/**
 * Tokens verified in the last seconds, so a client's burst of requests pays the HMAC and the claim checks
 * once: the same token string has the same signature and claims, and only time can change the answer —
 * an entry lives no longer than the TTL nor than the token's `exp`.
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  get(token: string, now: number): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (now < entry.until) return entry.principal;
    this.entries.delete(token);
    return undefined;
  }

  remember(token: string, principal: Principal, until: number): void {
    // a full table is dropped whole: simpler than LRU, and a burst refills it in one request per token
    if (this.entries.size >= VERIFIED_TOKENS_MAX) this.entries.clear();
    this.entries.set(token, { principal, until });
  }
}

export type TokenPolicy = Pick<DubanConfig, 'authTokenMaxLifetime' | 'authIssuer' | 'authAudience'>;

/** The one check of a bearer token, for the guard and for the queue board: signature, expiry, lifetime, iss/aud, claims. */
export async function verifyToken(jwt: JwtService, token: string, policy: TokenPolicy): Promise<Principal> {
  return (await verifiedToken(jwt, token, policy)).principal;
}

/** The check, answering also until when the token is good (its `exp`, in ms). */
async function verifiedToken(
  jwt: JwtService,
  token: string,
  policy: TokenPolicy,
): Promise<{ principal: Principal; expiresAt: number }> {
  let claims: Record<string, unknown>;
  try {
    claims = await jwt.verifyAsync(token, {
      algorithms: ['HS256'],
      ...(policy.authIssuer ? { issuer: policy.authIssuer } : {}),
      ...(policy.authAudience ? { audience: policy.authAudience } : {}),
    });
  } catch (error) {
    throw new UnauthorizedException(`the token is not valid: ${(error as Error).message}`);
  }
  checkLifetime(claims, policy.authTokenMaxLifetime, Date.now());
  return { principal: principalFromClaims(claims), expiresAt: (claims.exp as number) * 1000 };
}

/** A token that never expires, or lives longer than configured, is as good as a stolen password: refused. */
function checkLifetime(claims: Record<string, unknown>, max: TokenPolicy['authTokenMaxLifetime'], now: number): void {
  const { exp, iat } = claims;
  if (typeof exp !== 'number') throw new UnauthorizedException('the token has no "exp" claim; tokens must expire');
  const tooLong = `the token lives longer than the configured maximum (AUTH_TOKEN_MAX_LIFETIME=${max.iso})`;
  if (typeof iat === 'number' && (exp - iat) * 1000 > max.ms) throw new UnauthorizedException(tooLong);
  if (exp * 1000 - now > max.ms) throw new UnauthorizedException(tooLong);
}

export function principalFromClaims(claims: Record<string, unknown>): Principal {
  const { sub, name, roles, unitId, unitIds } = claims;
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
  const supervised = supervisedUnits(roles as Role[], unitIds);
  return {
    id: sub,
    name: typeof name === 'string' ? name : sub,
    roles: roles as Role[],
    ...(unitId ? { unitId: unitId as string } : {}),
    ...(supervised ? { unitIds: supervised } : {}),
  };
}

/** A supervisor (监督员) is scoped by the units they supervise: without any, the token would scope nothing. */
function supervisedUnits(roles: Role[], unitIds: unknown): string[] | undefined {
  if (unitIds === undefined && !roles.includes('supervisor')) return undefined;
  if (
    !Array.isArray(unitIds) ||
    unitIds.length > 200 ||
    !unitIds.every((u) => typeof u === 'string' && u.length > 0 && u.length <= 200)
  )
    throw new UnauthorizedException('the token\'s "unitIds" claim must be an array of unit ids');
  if (roles.includes('supervisor') && unitIds.length === 0)
    throw new UnauthorizedException('a supervisor\'s token must carry a non-empty "unitIds" claim');
  return unitIds as string[];
}
