import { Global, Module } from '@nestjs/common';
import { CONFIG, type DubanConfig } from '@duban/config';
import { openPersonalDataKeys, PersonalDataVault, resolvePersonalDataKey } from '@duban/application/personal-data';
import { IssuesModule } from '../issues/issues.module';
import { PersonalDataController } from './personal-data.http.controller';
import { PersonalDataErasure } from './personal-data-erasure';
import { PERSONAL_DATA_VAULT, PersonalDataService } from './personal-data.service';

/**
 * The vault, opened at start: a master key that does not open the key table's canary stops the process
 * with one line (`duban-api: failed to start: invalid configuration: PERSONAL_DATA_KEY is not the master key …`).
 */
@Global()
@Module({
  providers: [
    {
      provide: PERSONAL_DATA_VAULT,
      inject: [CONFIG],
      useFactory: (config: DubanConfig) =>
        PersonalDataVault.open(openPersonalDataKeys(config), resolvePersonalDataKey(config)),
    },
    PersonalDataService,
  ],
  exports: [PersonalDataService],
})
export class PersonalDataModule {}

/** Erasure and the access log (the erasure runs an issue command, so it needs the issues' service). */
@Module({
  imports: [IssuesModule],
  controllers: [PersonalDataController],
  providers: [PersonalDataErasure],
})
export class PersonalDataAdminModule {}
