import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** How long a public answer may be reused by browsers and proxies without asking again. */
const MAX_AGE_SECONDS = 60;

/** Does `If-None-Match` (a list, maybe weak, maybe `*`) name this entity tag? */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * Answers JSON that any cache may keep: the ETag is a hash of the bytes sent, so an unchanged answer is
 * a 304 with no body, and a changed one can never be mistaken for the old one.
 */
export function sendCacheableJson(request: Request, response: Response, body: unknown): void {
  const json = JSON.stringify(body);
  const etag = `"${createHash('sha256').update(json).digest('base64url')}"`;
  response.setHeader('ETag', etag);
  response.setHeader('Cache-Control', `public, max-age=${MAX_AGE_SECONDS}`);
  if (matches(request.headers['if-none-match'], etag)) {
    response.status(304).end();
    return;
  }
  response.status(200).type('application/json').send(json);
}
