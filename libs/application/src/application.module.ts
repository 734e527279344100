import { DynamicModule, Module } from '@nestjs/common';
import { EVENT_STORE, EventStore } from '@duban/event-store';
import { LOGGER, Logger, METRICS, Metrics, ShutdownLog } from '@duban/common';
import { CommandRunner } from './command-runner';

/**
 * How the API and the worker get their logger, metrics and command runner: one module, wired the
 * same in both apps, so a command runs the same way whoever issues it.
 */
@Module({})
export class ApplicationModule {
  static forRoot(logger: Logger, metrics: Metrics): DynamicModule {
    return {
      module: ApplicationModule,
      global: true,
      providers: [
        { provide: LOGGER, useValue: logger },
        { provide: METRICS, useValue: metrics },
        {
          provide: CommandRunner,
          useFactory: (store: EventStore, m: Metrics) => new CommandRunner(store, m),
          inject: [EVENT_STORE, METRICS],
        },
        ShutdownLog,
      ],
      exports: [LOGGER, METRICS, CommandRunner],
    };
  }
}
