/** Every refusal of the domain is a DomainError with a stable `code` the HTTP layer maps to a status. */
export abstract class DomainError extends Error {
  abstract readonly code: 'illegal_transition' | 'already_exists' | 'invalid_command' | 'not_found';
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The command is not allowed in the aggregate's current state (HTTP 409). */
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

/** The aggregate (or the thing the command adds) is already there (HTTP 409). */
export class AlreadyExists extends DomainError {
  readonly code = 'already_exists' as const;
}

/** A field of the command breaks a business rule (HTTP 400 naming the field). */
export class InvalidCommand extends DomainError {
  readonly code = 'invalid_command' as const;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Something the command refers to inside the aggregate does not exist (HTTP 404). */
export class NotFound extends DomainError {
  readonly code = 'not_found' as const;
}
