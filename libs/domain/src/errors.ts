/**
 * Every refusal of the domain is a DomainError with a stable `code`; the HTTP layer maps codes to
 * statuses (illegal_transition and already_exists → 409, invalid_command → 400, not_found → 404).
 * Messages are written for the person who sent the command: what was refused and what to do instead.
 */
export type DomainErrorCode = 'illegal_transition' | 'already_exists' | 'invalid_command' | 'not_found';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * The command is not allowed in the aggregate's current state (409), e.g. `cannot report a result on an
 * issue that is registered; assign it first`. `state` is the status that refused, `command` the command's type.
 */
export class IllegalTransition extends DomainError {
  readonly code = 'illegal_transition' as const;
  constructor(
    message: string,
    readonly state: string,
    readonly command: string,
  ) {
    super(message);
  }
}

/** The aggregate, or the thing the command adds to it, is already there (409). */
export class AlreadyExists extends DomainError {
  readonly code = 'already_exists' as const;
}

/** A field of the command breaks a rule (400); `field` names it as in the request body, e.g. `deadline`, `measures[0].owner`. */
export class InvalidCommand extends DomainError {
  readonly code = 'invalid_command' as const;
  readonly reason: string;
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`${field}: ${reason}`);
    this.reason = reason;
  }
}

/** The aggregate, or something the command refers to inside it (e.g. an extension request id), does not exist (404). */
export class NotFound extends DomainError {
  readonly code = 'not_found' as const;
}
