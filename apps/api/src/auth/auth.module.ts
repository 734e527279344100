import { Global, Module } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { CONFIG, DubanConfig, resolveJwtSecret } from '@duban/config';
import { AuthGuard } from './auth.guard';

@Global()
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [CONFIG],
      // A KeyObject, not a string: jsonwebtoken otherwise tries (and fails) to parse a string
      // secret as a public key on every verification, which costs more than the rest of a request.
      useFactory: (config: DubanConfig) => ({
        secret: createSecretKey(Buffer.from(resolveJwtSecret(config))) as unknown as string,
        signOptions: { algorithm: 'HS256' },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }],
  exports: [JwtModule],
})
export class AuthModule {}
