import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { Request } from 'express';
import { principalFromClaims } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';

/**
 * Ballots are open to anonymous voters holding a ballot token (no JWT). A caller who does send a bearer
 * token must be an assessor or a supervisor (监督员) registered into a group: anyone else is refused
 * before validation, like every other write.
 */
@Injectable()
export class BallotAuthGuard implements CanActivate {
  constructor(private readonly jwt: JwtService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request & { principal?: Principal }>();
    const header = request.headers.authorization;
    if (!header) return true;
    const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
    if (!match) throw new UnauthorizedException('the Authorization header must be "Bearer <JWT>"');
    try {
      request.principal = principalFromClaims(await this.jwt.verifyAsync(match[1], { algorithms: ['HS256'] }));
    } catch (error) {
      if (error instanceof UnauthorizedException) throw error;
      throw new UnauthorizedException(`the token is not valid: ${(error as Error).message}`);
    }
    if (!request.principal.roles.some((r) => r === 'assessor' || r === 'supervisor'))
      throw new ForbiddenException(
        'ballots are cast by assessors or supervisors registered as evaluators, or with an anonymous ballot token',
      );
    return true;
  }
}
