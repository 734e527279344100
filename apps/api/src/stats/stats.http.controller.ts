import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { ApiBearer, ApiJson, ApiProblems, COUNTS, INTEGER, nullable, NUMBER, object } from '../http/openapi';
import { StatsQuery, StatsQueryDto } from './stats.query';

@ApiTags('statistics')
@ApiBearer()
@Controller('stats')
export class StatsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Counts by status, source, unit and month; on-time and satisfaction rates; escalations by level',
  })
  @ApiJson(
    object({
      total: INTEGER,
      byStatus: COUNTS,
      bySource: COUNTS,
      byUnit: COUNTS,
      byMonth: COUNTS,
      assigned: INTEGER,
      resultReported: INTEGER,
      closed: INTEGER,
      withdrawn: INTEGER,
      overdue: INTEGER,
      onTimeRate: nullable(NUMBER),
      satisfaction: object({ satisfied: INTEGER, basically_satisfied: INTEGER, unsatisfied: INTEGER }),
      satisfactionRate: nullable(NUMBER),
      averageDaysToClose: nullable(NUMBER),
      escalationsByLevel: COUNTS,
      reporterSatisfaction: object({ satisfied: INTEGER, basically_satisfied: INTEGER, unsatisfied: INTEGER }),
      peopleDealtWith: INTEGER,
    }),
  )
  @ApiProblems(400, 403, 503)
  stats(@Query() query: StatsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new StatsQuery(query, principal));
  }
}
