import type { NextFunction, Request, Response } from 'express';
import { PROBLEM_CONTENT_TYPE, problem } from './problem';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
/** the one endpoint that reads a stream of NDJSON (an export being imported) */
const NDJSON_ENDPOINT = /\/admin\/import\/?$/;
/** the one endpoint that reads a file of any type (evidence uploads: the type is sniffed from the bytes there) */
const UPLOAD_ENDPOINT = /\/api\/v1\/attachments\/?$/;

/** A body that is not JSON is answered 415 instead of being read as "no body". */
export function requireJsonBody(req: Request, res: Response, next: NextFunction): void {
  const length = Number(req.headers['content-length'] ?? 0);
  const chunked = req.headers['transfer-encoding'] !== undefined;
  const ndjson = NDJSON_ENDPOINT.test(req.path) && req.is('application/x-ndjson');
  if (
    WITH_BODY.has(req.method) &&
    (length > 0 || chunked) &&
    !ndjson &&
    !UPLOAD_ENDPOINT.test(req.path) &&
    !req.is(['application/json', 'application/*+json'])
  ) {
    res
      .status(415)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify(
          problem(
            415,
            `request bodies must be application/json, got ${req.headers['content-type'] ?? 'no Content-Type'}`,
          ),
        ),
      );
    return;
  }
  next();
}
