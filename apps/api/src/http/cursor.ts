import { BadRequestException } from '@nestjs/common';

/** Keyset cursors on (registered_at, id): opaque to clients, refused with 400 when not ours. */
export const encodeCursor = (registeredAt: string, id: string) =>
  Buffer.from(JSON.stringify([registeredAt, id])).toString('base64url');

export function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string'))
      return value as [string, string];
  } catch {
    // not JSON: refused below
  }
  throw new BadRequestException('cursor is not one this API issued');
}

/**
 * One page of a keyset query that fetched `limit + 1` records (the extra one says a next page exists): the
 * first `limit` as views, and the cursor after the last of them.
 */
export function keysetPage<R, V>(
  records: R[],
  limit: number,
  view: (record: R) => V,
  keyOf: (record: R) => [string, string],
): { items: V[]; nextCursor: string | null } {
  const page = records.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map(view), nextCursor: records.length > limit && last ? encodeCursor(...keyOf(last)) : null };
}
