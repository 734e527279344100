import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { EVENT_STORE, EventStore } from './event-store.port';
import { SqliteEventStore } from './sqlite/sqlite-event-store';
import { UpcasterRegistry } from './upcasters';

export interface EventStoreModuleOptions {
  dataDir: string;
  eventStoreConnectionString: string | null;
  upcasters?: UpcasterRegistry;
}

export const EVENTS_FILE = 'events.sqlite';

/** The adapter DESIGN.md §3 asks for: EventStoreDB when a connection string is set, else the embedded file. */
export function openEventStore(options: EventStoreModuleOptions): EventStore {
  if (options.eventStoreConnectionString) {
    // Loaded on demand: the embedded default must not pay for the gRPC client at start.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { EsdbEventStore } = require('./esdb/esdb-event-store') as typeof import('./esdb/esdb-event-store');
    return new EsdbEventStore({ connectionString: options.eventStoreConnectionString, upcasters: options.upcasters });
  }
  return new SqliteEventStore({ file: join(options.dataDir, EVENTS_FILE), upcasters: options.upcasters });
}

/** Closes the store last, after in-flight commands have been answered (Nest calls shutdown hooks in reverse order). */
@Injectable()
class EventStoreCloser implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Global()
@Module({})
export class EventStoreModule {
  static forRoot(options: EventStoreModuleOptions): DynamicModule {
    return {
      module: EventStoreModule,
      providers: [{ provide: EVENT_STORE, useFactory: () => openEventStore(options) }, EventStoreCloser],
      exports: [EVENT_STORE],
    };
  }
}
