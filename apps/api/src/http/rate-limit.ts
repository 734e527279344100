import { createHash } from 'node:crypto';
import { ExecutionContext, HttpException, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  normalizeIp,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { problem } from './problem';

export const RATE_LIMIT_SETTINGS = Symbol('RATE_LIMIT_SETTINGS');

/** Writes and token-less public reads are limited per caller; other reads are not (they need a token and change nothing). */
export interface RateLimitSettings {
  enabled: boolean;
  windowMs: number;
  writesPerToken: number;
  writesPerAddress: number;
  ballotsPerBallotToken: number;
}

/** The throttlers, by what they count: a token's subject, a client address, an anonymous ballot token. */
type LimitName = 'token' | 'address' | 'ballot-token';

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const TOKEN_LESS_BALLOT = /^\/api\/v1\/appraisals\/[^/]+\/ballots\/?$/;
/** public disclosure answers anyone without a token: its reads count against the address's allowance */
const PUBLIC_READS = /^\/public\/v1\//;

/**
 * The limits from the environment, checked at start. The defaults are far above what a person or an
 * office behind one NAT address produces; load tests turn the limits off with RATE_LIMIT_ENABLED=false.
 */
export function rateLimitSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitSettings {
  const enabled = env.RATE_LIMIT_ENABLED ?? 'true';
  if (enabled !== 'true' && enabled !== 'false')
    throw new Error(`RATE_LIMIT_ENABLED must be true or false, got "${enabled}"`);
  return {
    enabled: enabled === 'true',
    windowMs: whole(env, 'RATE_LIMIT_WINDOW_MS', 60_000, 1000),
    writesPerToken: whole(env, 'RATE_LIMIT_WRITES_PER_TOKEN', 600, 1),
    // a whole meeting room votes from one NAT address: hundreds of evaluators, a ballot per unit each
    writesPerAddress: whole(env, 'RATE_LIMIT_WRITES_PER_ADDRESS', 6000, 1),
    // one ballot token casts a ballot for every unit of a round, often a hundred in a minute from one form
    ballotsPerBallotToken: whole(env, 'RATE_LIMIT_BALLOTS_PER_BALLOT_TOKEN', 300, 1),
  };
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min) throw new Error(`${name} must be a whole number ≥ ${min}, got "${raw}"`);
  return Number(raw);
}

export function throttlerOptions(settings: RateLimitSettings): ThrottlerModuleOptions {
  const limits: Record<LimitName, number> = {
    token: settings.writesPerToken,
    address: settings.writesPerAddress,
    'ballot-token': settings.ballotsPerBallotToken,
  };
  const throttlers: ThrottlerOptions[] = Object.entries(limits).map(([name, limit]) => ({
    name,
    limit,
    ttl: settings.windowMs,
  }));
  // Retry-After is set by the problem filter, once, whatever the throttler's name
  return { throttlers, setHeaders: false };
}

/** 429 as problem+json; the filter turns `retryAfter` into the Retry-After header. */
export class RateLimited extends HttpException {
  constructor(detail: string, retryAfterSeconds: number) {
    super(problem(429, detail, { retryAfter: Math.max(1, retryAfterSeconds) }), 429);
  }
}

/**
 * Counts writes per token subject (verified here: an unverified `sub` would let anyone spend another
 * caller's allowance), per client address, and per anonymous ballot token on token-less ballots.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly jwt: JwtService,
    @Inject(RATE_LIMIT_SETTINGS) private readonly settings: RateLimitSettings,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (!this.settings.enabled || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    return !WRITE_METHODS.has(request.method) && !PUBLIC_READS.test(request.path);
  }

  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const request = props.context.switchToHttp().getRequest<Request>();
    const tracker = this.trackerOf(props.throttler.name as LimitName, request);
    if (tracker === null) return true;
    return super.handleRequest({
      ...props,
      getTracker: () => tracker,
      // one allowance per caller across all routes, not one per route
      generateKey: (_context, key, name) => `${name}:${key}`,
    });
  }

  private trackerOf(name: LimitName, request: Request): string | null {
    if (name === 'address') return normalizeIp(request.ip ?? request.socket.remoteAddress ?? 'unknown');
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (name === 'token') return bearer ? this.verifiedSubject(bearer) : null;
    const ballotToken = (request.body as { token?: unknown } | undefined)?.token;
    if (bearer || request.method !== 'POST' || !TOKEN_LESS_BALLOT.test(request.path) || typeof ballotToken !== 'string')
      return null;
    return createHash('sha256').update(ballotToken).digest('hex');
  }

  private verifiedSubject(bearer: string): string | null {
    try {
      const { sub } = this.jwt.verify<{ sub?: unknown }>(bearer, { algorithms: ['HS256'] });
      return typeof sub === 'string' && sub ? sub : null;
    } catch {
      return null; // the auth guard answers 401; the address limit still counts the request
    }
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const [name] = detail.key.split(':');
    const who = name === 'token' ? 'this token' : name === 'address' ? 'this address' : 'this ballot token';
    void context;
    throw new RateLimited(
      `too many write requests from ${who}: at most ${detail.limit} in ${Math.round(detail.ttl / 1000)} s; retry after ${detail.timeToBlockExpire} s`,
      detail.timeToBlockExpire,
    );
  }
}
