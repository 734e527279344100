import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { BULK_IMPORT, bulkImportOf, RAW_EVENT_LOG, rawEventLog } from './capabilities.port';
import { EVENT_STORE, EventStore } from './event-store.port';
import { openEventStoreReady } from './open-event-store';
import { UpcasterRegistry } from './upcasters';

export interface EventStoreModuleOptions {
  dataDir: string;
  eventStoreConnectionString: string | null;
  /** PostgreSQL when set (DATABASE_URL) */
  databaseUrl?: string | null;
  upcasters?: UpcasterRegistry;
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
    const capability = (provide: symbol, of: (store: EventStore) => unknown) => ({
      provide,
      useFactory: of,
      inject: [EVENT_STORE],
    });
    return {
      module: EventStoreModule,
      providers: [
        { provide: EVENT_STORE, useFactory: () => openEventStoreReady(options) },
        capability(RAW_EVENT_LOG, rawEventLog),
        capability(BULK_IMPORT, bulkImportOf),
        EventStoreCloser,
      ],
      exports: [EVENT_STORE, RAW_EVENT_LOG, BULK_IMPORT],
    };
  }
}
