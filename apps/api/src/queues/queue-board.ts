import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { HttpException, type INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { QUEUES, REDIS } from '@duban/common';
import { CONFIG, type DubanConfig } from '@duban/config';
import { verifyToken } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { BOARD_CODE_TTL_SECONDS, BoardSessions } from './board-session';
import { API_QUEUES, type QueueSet } from './queue-set';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'duban_board';
const SESSION_ROUTE = '/session';

/**
 * Bull Board at /admin/queues, for admins only. A browser cannot send a bearer header while it navigates, and a
 * token in a URL ends up in logs and histories, so an admin first POSTs /admin/queues/session with the bearer
 * token for a one-time code; `GET /admin/queues?code=…` spends it for an HttpOnly, SameSite=Strict session
 * cookie scoped to this path (Secure over https and in production). A bearer header also works, as for the API.
 */
export function mountQueueBoard(app: INestApplication): void {
  const queues = app.get<QueueSet>(API_QUEUES);
  const jwt = app.get(JwtService);
  const config = app.get<DubanConfig>(CONFIG);
  const sessions = new BoardSessions(app.get<Redis>(REDIS), config.queuePrefix);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QUEUES).map((name) => new BullMQAdapter(queues[name], { readOnlyMode: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Duban 督办 queues' } },
  });

  const admin = async (req: Request): Promise<{ principal: Principal; exp: number } | null> => {
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return null;
    const principal = await verifyToken(jwt, token, config);
    if (!principal.roles.includes('admin')) throw new HttpException('the queue dashboard is for admins', 403);
    return { principal, exp: (jwt.decode(token) as { exp: number }).exp };
  };

  const issueCode = async (req: Request, res: Response) => {
    const caller = await admin(req);
    if (!caller)
      throw new HttpException('a one-time code needs an admin bearer token (Authorization: Bearer <JWT>)', 401);
    const code = await sessions.issueCode(caller.principal, caller.exp);
    res.status(201).setHeader('Cache-Control', 'no-store');
    res.json({ code, expiresIn: BOARD_CODE_TTL_SECONDS });
  };

  const requireAdmin = async (req: Request, res: Response, next: NextFunction) => {
    if (typeof req.query.token === 'string')
      throw new HttpException(
        `?token= is no longer accepted (it leaks into logs): POST ${QUEUE_BOARD_PATH}${SESSION_ROUTE} with the bearer token for a one-time ?code=`,
        401,
      );
    if (await admin(req)) return next();
    if (typeof req.query.code === 'string') {
      const opened = await sessions.exchange(req.query.code);
      if (!opened) throw new HttpException('the code is unknown, expired or already used; ask for a new one', 401);
      res.cookie(COOKIE, opened.session, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure || config.nodeEnv === 'production',
        path: QUEUE_BOARD_PATH,
        maxAge: opened.maxAgeMs,
      });
      // the code leaves the address bar (and the browser's history) at once
      return res.redirect(303, req.originalUrl.replace(/([?&])code=[^&]*&?/, '$1').replace(/[?&]$/, ''));
    }
    const cookie = /(?:^|;\s*)duban_board=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (cookie && (await sessions.isValid(cookie))) return next();
    throw new HttpException(
      `the queue dashboard needs an admin: a bearer token, or a one-time code from POST ${QUEUE_BOARD_PATH}${SESSION_ROUTE}`,
      401,
    );
  };

  const router = express.Router();
  router.post(SESSION_ROUTE, handled(issueCode));
  router.use(handled(requireAdmin), serverAdapter.getRouter());
  app.use(QUEUE_BOARD_PATH, router);
}

/** Refusals as problem+json (this router is outside Nest's exception filter). */
function handled(handler: (req: Request, res: Response, next: NextFunction) => Promise<unknown>) {
  return (req: Request, res: Response, next: NextFunction) =>
    handler(req, res, next).catch((error: unknown) => {
      if (!(error instanceof HttpException)) return next(error);
      const status = error.getStatus();
      res
        .status(status)
        .type('application/problem+json')
        .json({
          type: 'about:blank',
          title: status === 401 ? 'Unauthorized' : 'Forbidden',
          status,
          detail: error.message,
        });
    });
}
