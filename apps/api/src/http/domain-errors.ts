import { DomainError, InvalidCommand, IllegalTransition } from '@duban/domain';
import { problem, Problem } from './problem';

/** Maps the domain's named errors to problems; the domain library stays free of HTTP. */
export function mapDomainError(exception: unknown): Problem | undefined {
  if (!(exception instanceof DomainError)) return undefined;
  switch (exception.code) {
    case 'illegal_transition': {
      const e = exception as IllegalTransition;
      return problem(409, e.message, { code: e.code, state: e.state, command: e.command });
    }
    case 'already_exists':
      return problem(409, exception.message, { code: exception.code });
    case 'invalid_command': {
      const e = exception as InvalidCommand;
      return problem(400, e.message, { code: e.code, errors: [{ field: e.field, messages: [e.message] }] });
    }
    case 'not_found':
      return problem(404, exception.message, { code: exception.code });
  }
}
