import { UpcasterRegistry } from '@duban/event-store';

/**
 * Old event versions are upcast on read, never rewritten (the hash covers the stored form). When
 * an event's data changes shape, bump the schemaVersion its decider writes and register the step
 * from the old version here: `eventUpcasters.register('IssueRegistered', 1, (data) => ({ ...data, … }))`.
 * Every read through the store (commands, history, ?asOf=, audit streams, the CLI's replay) then sees
 * the new shape. Every process that reads events passes it to its store: the API (app.module.ts), the
 * CLI, and the worker (`EventStoreModule.forRoot({ ...config, upcasters: eventUpcasters })`).
 */
export const eventUpcasters = new UpcasterRegistry();
