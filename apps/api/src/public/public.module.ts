import { Module } from '@nestjs/common';
import { AppraisalsModule } from '../appraisals/appraisals.module';
import { ListsModule } from '../lists/lists.module';
import { PublicDisclosureController } from './public-disclosure.http.controller';
import { UnitNamesRepository } from './unit-names.repository';

/** Public disclosure reads through the lists' and the appraisal results' own queries (exported by their modules), never a copy. */
@Module({
  imports: [ListsModule, AppraisalsModule],
  controllers: [PublicDisclosureController],
  providers: [UnitNamesRepository],
})
export class PublicModule {}
