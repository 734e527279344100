/** A domain command as the edge builds it: typed per use case, without `meta` (the service adds the time and actor). */
export type CommandInput<C> = C extends { meta: unknown } ? Omit<C, 'meta'> : never;

/** What every command answers: the stream's revision and the global position (for read-your-writes). */
export interface CommandAnswer {
  id: string;
  revision: number;
  position: number;
}

/** The command's time: read once per command, here, so the domain never reads the clock. */
export const now = () => new Date().toISOString();
