import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { runWithContext } from '@duban/common';

const HEADER = 'x-correlation-id';
const SAFE = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Takes the caller's correlation id (X-Correlation-Id, or X-Request-Id) when it is well-formed,
 * else makes one; echoes it back, and runs the rest of the request inside its context so logs
 * and appended events carry it.
 */
export function correlationMiddleware(req: Request, res: Response, next: NextFunction): void {
  const offered = req.header(HEADER) ?? req.header('x-request-id');
  const correlationId = offered && SAFE.test(offered) ? offered : randomUUID();
  (req as Request & { id?: string }).id = correlationId;
  res.setHeader('X-Correlation-Id', correlationId);
  runWithContext({ correlationId }, next);
}
