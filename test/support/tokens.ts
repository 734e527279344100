import { sign, type SignOptions } from 'jsonwebtoken';

export type TestRole = 'registrar' | 'unit_officer' | 'assessor' | 'auditor' | 'admin' | 'supervisor';

/**
 * Signs a token the way an identity provider would: HS256 with sub, name, roles, unitId, iat and exp
 * (the API refuses a token without exp or living longer than AUTH_TOKEN_MAX_LIFETIME, P1D by default).
 */
export function signToken(
  secret: string,
  claims: { sub?: string; name?: string; roles: TestRole[]; unitId?: string; unitIds?: string[] },
  expiresIn = '1h',
  options: Pick<SignOptions, 'issuer' | 'audience'> = {},
): string {
  const { sub = `user-${claims.roles.join('-')}${claims.unitId ? `-${claims.unitId}` : ''}`, ...rest } = claims;
  return sign({ sub, name: claims.name ?? sub, ...rest }, secret, {
    algorithm: 'HS256',
    expiresIn: expiresIn as never,
    ...options,
  });
}
