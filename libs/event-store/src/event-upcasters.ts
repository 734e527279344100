import { UpcasterRegistry } from './upcasters';

/**
 * Old event versions are upcast on read, never rewritten (the hash covers the stored form). When
 * an event's data changes shape, bump the schemaVersion its decider writes and register the step
 * from the old version here: `eventUpcasters.register('IssueRegistered', 1, (data) => ({ ...data, … }))`.
 * Every read through the store (commands, history, ?asOf=, audit streams, the CLIs' replay) then sees
 * the new shape. Every process that reads events passes it to its store: the API and the worker
 * (`EventStoreModule.forRoot({ ...config, upcasters: eventUpcasters })`) and the CLIs (`openEventStore`).
 */
export const eventUpcasters = new UpcasterRegistry();
