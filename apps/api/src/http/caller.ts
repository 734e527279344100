import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '../auth/principal';
import { parseIfMatch } from './if-match';

/** What every command takes from the request besides its body: who calls, and the revision they last saw (If-Match). */
export interface Caller {
  principal: Principal;
  ifMatch?: number;
}

export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const request = context.switchToHttp().getRequest<Request & { principal: Principal }>();
  const ifMatch = parseIfMatch(request.headers['if-match']);
  return { principal: request.principal, ...(ifMatch === undefined ? {} : { ifMatch }) };
});
