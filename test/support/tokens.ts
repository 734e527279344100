import { sign } from 'jsonwebtoken';

export type TestRole = 'registrar' | 'unit_officer' | 'assessor' | 'auditor' | 'admin';

/** Signs a token the way an identity provider would: HS256 with sub, name, roles, unitId. */
export function signToken(
  secret: string,
  claims: { sub?: string; name?: string; roles: TestRole[]; unitId?: string },
  expiresIn = '1h',
): string {
  const { sub = `user-${claims.roles.join('-')}${claims.unitId ? `-${claims.unitId}` : ''}`, ...rest } = claims;
  return sign({ sub, name: claims.name ?? sub, ...rest }, secret, {
    algorithm: 'HS256',
    expiresIn: expiresIn as never,
  });
}
