import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Principal } from '../auth/principal';

/** How long a one-time code is good for: long enough to open a link, short enough to be useless in a log. */
export const BOARD_CODE_TTL_SECONDS = 60;
/** A board session never outlives the token that opened it, nor this. */
const SESSION_MAX_MS = 8 * 3_600_000;

interface Holder {
  sub: string;
  /** when the session (or the code's session) must end, ms since the epoch: the token's own exp at most */
  until: number;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest('base64url');

/**
 * One-time codes and sessions for the queue board, kept in Redis (any API process may answer the next
 * request) under their hashes only, so a Redis dump does not hand out a working code or session.
 */
export class BoardSessions {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(kind: 'code' | 'session', secret: string): string {
    return `${this.prefix}:board:${kind}:${digest(secret)}`;
  }

  /** A code for an admin, given the expiry (seconds since the epoch) of the token that asked for it. */
  async issueCode(principal: Principal, tokenExp: number): Promise<string> {
    const code = randomBytes(24).toString('base64url');
    const holder: Holder = { sub: principal.id, until: Math.min(tokenExp * 1000, Date.now() + SESSION_MAX_MS) };
    await this.redis.set(this.key('code', code), JSON.stringify(holder), 'EX', BOARD_CODE_TTL_SECONDS);
    return code;
  }

  /** The code is deleted as it is read (GETDEL), so of two requests with it exactly one gets a session. */
  async exchange(code: string): Promise<{ session: string; maxAgeMs: number } | null> {
    const stored = await this.redis.getdel(this.key('code', code));
    if (!stored) return null;
    const holder = JSON.parse(stored) as Holder;
    const maxAgeMs = holder.until - Date.now();
    if (maxAgeMs <= 0) return null;
    const session = randomBytes(32).toString('base64url');
    await this.redis.set(this.key('session', session), stored, 'PX', maxAgeMs);
    return { session, maxAgeMs };
  }

  async isValid(session: string): Promise<boolean> {
    const stored = await this.redis.get(this.key('session', session));
    return stored !== null && (JSON.parse(stored) as Holder).until > Date.now();
  }
}
