import {
  CallHandler,
  ConflictException,
  ExecutionContext,
  Inject,
  Injectable,
  NestInterceptor,
  OnApplicationShutdown,
  UnprocessableEntityException,
  BadRequestException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash } from 'node:crypto';
import { catchError, concatMap, from, Observable, of, switchMap, throwError } from 'rxjs';
import { runInCommandScope } from '@duban/application';
import { canonicalJson } from '@duban/event-store';
import { CONFIG, DubanConfig } from '@duban/config';
import type { Principal } from '../../auth/principal';
import { IdempotencyKeyStore, IdempotencyStore, Reservation } from './idempotency.store';
import { PostgresIdempotencyStore } from './idempotency.pg-store';

const KEY = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * Idempotency-Key on POST: a retry with the same key and body gets the first answer again and
 * appends nothing; the same key with another body is 422; a duplicate arriving while the first
 * still runs is 409. The request's command ids (and a new aggregate's id) derive from the caller, the key
 * and the request, so a retry whose first answer was lost (a timeout, a crash) appends nothing either.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor, OnApplicationShutdown {
  private readonly store: IdempotencyKeyStore;

  constructor(@Inject(CONFIG) config: DubanConfig) {
    // on PostgreSQL the reservations are shared by every API node; else a file per host
    this.store = config.databaseUrl
      ? new PostgresIdempotencyStore(config.databaseUrl)
      : new IdempotencyStore(config.dataDir);
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { principal?: Principal }>();
    const res = http.getResponse<Response>();
    const key = req.header('idempotency-key');
    if (req.method !== 'POST' || key === undefined) return next.handle();
    if (!KEY.test(key))
      throw new BadRequestException(
        'Idempotency-Key must be 1 to 200 characters of letters, digits, ".", "_", ":" or "-"',
      );
    const scopedKey = `${req.principal?.id ?? 'anonymous'}|${key}`;
    const fingerprint = createHash('sha256')
      .update(`${req.method} ${req.baseUrl}${req.path}\n`)
      .update(canonicalJson(req.body ?? null))
      .digest('hex');
    return from(Promise.resolve(this.store.tryReserve(scopedKey, fingerprint))).pipe(
      switchMap((reservation) => this.answer(reservation, scopedKey, fingerprint, res, next)),
    );
  }

  private answer(
    reservation: Reservation,
    scopedKey: string,
    fingerprint: string,
    res: Response,
    next: CallHandler,
  ): Observable<unknown> {
    switch (reservation.kind) {
      case 'mismatch':
        throw new UnprocessableEntityException('this Idempotency-Key was already used with a different request body');
      case 'in_progress':
        throw new ConflictException('a request with this Idempotency-Key is still being processed; retry shortly');
      case 'replay':
        res.status(reservation.response.status);
        for (const [name, value] of Object.entries(reservation.response.headers)) res.setHeader(name, value);
        res.setHeader('Idempotent-Replayed', 'true');
        return of(reservation.response.body);
    }
    return runInCommandScope(`${scopedKey}|${fingerprint}`, () => next.handle()).pipe(
      // the answer is recorded before it is sent, so a retry on any node replays it
      concatMap(async (body: unknown) => {
        const headers: Record<string, string> = {};
        const location = res.getHeader('location');
        if (typeof location === 'string') headers.Location = location;
        const etag = res.getHeader('etag');
        if (typeof etag === 'string') headers.ETag = etag;
        await this.store.store(scopedKey, { status: res.statusCode, body, headers });
        return body;
      }),
      catchError((error: unknown) =>
        from(Promise.resolve(this.store.forget(scopedKey))).pipe(switchMap(() => throwError(() => error))),
      ),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
