import { problem, Problem } from './problem';

/** Maps the domain's named errors to problems. Kept apart so the domain library stays free of HTTP. */
export function mapDomainError(exception: unknown): Problem | undefined {
  const error = exception as { name?: string; code?: string; message?: string; field?: string; state?: string };
  if (!error || typeof error !== 'object' || typeof error.code !== 'string' || !isDomainError(exception)) return undefined;
  switch (error.code) {
    case 'illegal_transition':
      return problem(409, error.message, { code: error.code, ...(error.state ? { state: error.state } : {}) });
    case 'already_exists':
      return problem(409, error.message, { code: error.code });
    case 'invalid_command':
      return problem(400, error.message, { code: error.code, errors: error.field ? [{ field: error.field, messages: [error.message ?? ''] }] : undefined });
    case 'not_found':
      return problem(404, error.message, { code: error.code });
    default:
      return problem(409, error.message, { code: error.code });
  }
}

let domainErrorClass: (new (...args: never[]) => Error) | undefined;
function isDomainError(exception: unknown): boolean {
  if (!domainErrorClass) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      domainErrorClass = require('@duban/domain').DomainError;
    } catch {
      return false;
    }
  }
  return !!domainErrorClass && exception instanceof domainErrorClass;
}
