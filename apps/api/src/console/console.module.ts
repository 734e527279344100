import { type DynamicModule, Module } from '@nestjs/common';
import type { DubanConfig } from '@duban/config';
import { ConsoleStatic } from './console-static';
import { DevTokenController } from './dev-token.http.controller';

/** The console's static files at /console; in development only, the role picker's token endpoint. */
@Module({})
export class ConsoleModule {
  static forRoot(config: Pick<DubanConfig, 'nodeEnv'>): DynamicModule {
    return {
      module: ConsoleModule,
      controllers: config.nodeEnv === 'development' ? [DevTokenController] : [],
      providers: [ConsoleStatic],
    };
  }
}
