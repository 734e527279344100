import type { NextFunction, Request, Response } from 'express';
import type { ReadModelService } from './read-model.service';

/**
 * Requests that never read the read model: they decide on the event store alone (a registration's stream is new),
 * so they need not wait for the runner's next batch. Paths under the API prefix.
 */
const DECIDED_ON_THE_LOG = ['POST /issues'];

/**
 * Every other request runs after the read model applied the writes answered before it arrived, as when each
 * commit was applied at once: it never misses them because the runner was gathering its next batch.
 */
export function settledReads(readModel: ReadModelService, apiPrefix: string) {
  const decidedOnTheLog = new Set(DECIDED_ON_THE_LOG.map((route) => route.replace(' /', ` /${apiPrefix}/`)));
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!readModel.runner.gathering || decidedOnTheLog.has(`${req.method} ${req.path}`)) return next();
    readModel.settle().then(() => next(), next);
  };
}
