export * from './event-store.port';
export * from './errors';
export * from './envelope';
export * from './upcasters';
export { SqliteEventStore, SqliteEventStoreOptions, StoredEventImport, EventRow } from './sqlite/sqlite-event-store';
export * from './event-store.module';
export * from './verify';
