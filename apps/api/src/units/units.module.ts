import { Module } from '@nestjs/common';
import { UnitsController } from './units.http.controller';
import { ExecuteUnitCommandHandler } from './commands/execute-unit-command';
import { GetUnitHistoryQueryHandler, GetUnitQueryHandler, ListUnitsQueryHandler } from './queries/unit.queries';

@Module({
  controllers: [UnitsController],
  providers: [ExecuteUnitCommandHandler, GetUnitQueryHandler, GetUnitHistoryQueryHandler, ListUnitsQueryHandler],
})
export class UnitsModule {}
