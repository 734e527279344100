import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { NextFunction, Request, Response } from 'express';
import { QUEUES } from '@duban/common';
import { principalFromClaims } from '../auth/auth.guard';
import { API_QUEUES, type QueueSet } from './queue-set';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'duban_board';

/**
 * Bull Board at /admin/queues, for admins only. A browser cannot send a bearer header while it navigates,
 * so the token may also come once as `?token=`, which sets an HttpOnly cookie scoped to this path.
 */
export function mountQueueBoard(app: INestApplication): void {
  const queues = app.get<QueueSet>(API_QUEUES);
  const jwt = app.get(JwtService);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QUEUES).map((name) => new BullMQAdapter(queues[name], { readOnlyMode: false })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Duban 督办 queues' } },
  });
  const problem = (res: Response, status: number, detail: string) =>
    res
      .status(status)
      .type('application/problem+json')
      .json({ type: 'about:blank', title: status === 401 ? 'Unauthorized' : 'Forbidden', status, detail });
  const requireAdmin = async (req: Request, res: Response, next: NextFunction) => {
    const header = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const cookie = /(?:^|;\s*)duban_board=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const query = typeof req.query.token === 'string' ? req.query.token : undefined;
    const token = header ?? query ?? cookie;
    if (!token)
      return problem(
        res,
        401,
        'the queue dashboard needs an admin token (Authorization: Bearer <JWT>, or ?token=<JWT> once)',
      );
    try {
      const principal = principalFromClaims(await jwt.verifyAsync(token, { algorithms: ['HS256'] }));
      if (!principal.roles.includes('admin')) return problem(res, 403, 'the queue dashboard is for admins');
    } catch (error) {
      return problem(res, 401, `the token is not valid: ${(error as Error).message}`);
    }
    if (query) res.cookie(COOKIE, query, { httpOnly: true, sameSite: 'strict', path: QUEUE_BOARD_PATH });
    next();
  };
  app.use(QUEUE_BOARD_PATH, requireAdmin, serverAdapter.getRouter());
}
