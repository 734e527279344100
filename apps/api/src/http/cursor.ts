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
