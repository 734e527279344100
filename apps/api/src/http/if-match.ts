import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Parses `If-Match: "3"` (or `3`, or `W/"3"`) into revision 3; absent → undefined. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(-?\d{1,15})"?\s*$/.exec(header);
  if (!match)
    throw new BadRequestException(
      `If-Match must be an ETag such as "3" (the revision from GET), got ${JSON.stringify(header.slice(0, 50))}`,
    );
  return Number(match[1]);
}

export const IfMatch = createParamDecorator((_: unknown, context: ExecutionContext) =>
  parseIfMatch(
    context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['if-match'],
  ),
);

export const etagOf = (revision: number) => `"${revision}"`;
