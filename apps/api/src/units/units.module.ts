import { Module } from '@nestjs/common';
import { UnitsController } from './units.http.controller';
import { UnitService } from './unit.service';
import { GetUnitHistoryQueryHandler, GetUnitQueryHandler, ListUnitsQueryHandler } from './queries/unit.queries';

@Module({
  controllers: [UnitsController],
  providers: [UnitService, GetUnitQueryHandler, GetUnitHistoryQueryHandler, ListUnitsQueryHandler],
})
export class UnitsModule {}
