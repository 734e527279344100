import { Module } from '@nestjs/common';
import { AppraisalResultsQuery } from '../appraisals/queries/appraisal-results.query';
import { ListsController } from '../lists/lists.http.controller';
import { PublicDisclosureController } from './public-disclosure.http.controller';
import { UnitNamesRepository } from './unit-names.repository';

/** Public disclosure reuses the lists' and the appraisal results' own queries (as providers here), never a copy. */
@Module({
  controllers: [PublicDisclosureController],
  providers: [ListsController, AppraisalResultsQuery, UnitNamesRepository],
})
export class PublicModule {}
