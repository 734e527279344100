import { EXIT_CODES } from './cli-kit';

/** Exit codes scripts can rely on. */
export const EXIT = { clean: EXIT_CODES.ok, tampered: 1, usage: EXIT_CODES.usage, failed: EXIT_CODES.failed } as const;
