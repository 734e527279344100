import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Inject } from '@nestjs/common';
import type { Request, Response } from 'express';
import { LOGGER, type Logger } from '@duban/common';
import { Problem, PROBLEM_CONTENT_TYPE, problem } from './problem';
import { InvalidAppend, StoreBusy, WrongExpectedVersion } from '@duban/event-store';
import { ConcurrencyConflict, StaleRevision } from '@duban/application';
import { redactUrl } from '../auth/log-redaction';
import { DomainError, IllegalTransition, InvalidCommand } from '@duban/domain';

/** The one place errors become HTTP answers: problem+json always, and never a 500 for bad input. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = problemOf(exception);
    if (body.status >= 500) this.logger.error({ err: exception, path: redactUrl(request.url) }, 'request failed');
    if (response.headersSent) return;
    if ((body.status === 503 || body.status === 429) && body.retryAfter)
      response.setHeader('Retry-After', String(body.retryAfter));
    response
      .status(body.status)
      .type(PROBLEM_CONTENT_TYPE)
      .send(JSON.stringify({ ...body, instance: request.originalUrl }));
  }
}

/** An exception as the problem details it answers (also each item of a batch, which answers one per item). */
export function problemOf(exception: unknown): Problem {
  if (exception instanceof DomainError) return domainProblem(exception);
  if (exception instanceof StaleRevision) return problem(412, exception.message);
  if (exception instanceof ConcurrencyConflict)
    return problem(409, exception.message, { currentRevision: exception.actual });
  if (exception instanceof WrongExpectedVersion) {
    return problem(
      409,
      `the ${exception.streamId.split('-')[0]} was changed by another command at the same time; read it again and retry`,
      {
        currentRevision: exception.actual,
      },
    );
  }
  if (exception instanceof InvalidAppend) return problem(400, exception.message);
  if (exception instanceof StoreBusy) return problem(503, exception.message, { retryAfter: 1 });
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null && 'type' in response && 'status' in response)
      return response as Problem;
    const message = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    return problem(
      status,
      Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : exception.message,
    );
  }
  // body-parser errors carry a status and a type (malformed JSON, too large, bad charset)
  const parserError = exception as { status?: number; type?: string; message?: string };
  if (typeof parserError?.status === 'number' && parserError.status >= 400 && parserError.status < 500) {
    const detail =
      parserError.type === 'entity.too.large'
        ? 'the request body is larger than the limit'
        : parserError.type === 'entity.parse.failed'
          ? `the request body is not valid JSON: ${parserError.message ?? ''}`
          : (parserError.message ?? 'the request could not be read');
    return problem(parserError.status, detail);
  }
  return problem(500, 'an unexpected error occurred; it has been logged with the correlation id');
}

/** The domain's named refusals: a state that forbids the command is 409 and names the state; a bad field is 400 and names it. */
function domainProblem(error: DomainError): Problem {
  if (error instanceof IllegalTransition)
    return problem(409, error.message, { code: error.code, state: error.state, command: error.command });
  if (error instanceof InvalidCommand)
    return problem(400, error.message, {
      code: error.code,
      errors: [{ field: error.field, messages: [error.reason] }],
    });
  return problem(error.code === 'not_found' ? 404 : 409, error.message, { code: error.code });
}
