import type { NextFunction, Request, Response } from 'express';
import type { ReadModelService } from './read-model.service';

/**
 * Requests that never read the read model: they decide on the event store alone (a registration's stream is new;
 * a ballot decides on the campaign's stream), so they need not wait for the runner's next batch. Paths under the
 * API prefix, `:param` for one path segment.
 */
const DECIDED_ON_THE_LOG = ['POST /issues', 'POST /appraisals/:id/ballots'];

/**
 * Every other request runs after the read model applied the writes answered before it arrived, as when each
 * commit was applied at once: it never misses them because the runner was gathering its next batch.
 */
export function settledReads(readModel: ReadModelService, apiPrefix: string) {
  const decidedOnTheLog = DECIDED_ON_THE_LOG.map((route) => {
    const [method, path] = route.split(' ');
    return new RegExp(`^${method} /${apiPrefix}${path.replace(/:\w+/g, '[^/]+')}$`);
  });
  return (req: Request, _res: Response, next: NextFunction): void => {
    const request = `${req.method} ${req.path}`;
    if (!readModel.runner.gathering || decidedOnTheLog.some((route) => route.test(request))) return next();
    readModel.settle().then(() => next(), next);
  };
}
