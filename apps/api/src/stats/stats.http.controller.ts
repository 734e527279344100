import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { StatsQuery, StatsQueryDto } from './stats.query';

@ApiTags('statistics')
@ApiBearerAuth()
@Controller('stats')
export class StatsController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiOperation({
    summary: 'Counts by status, source, unit and month; on-time and satisfaction rates; escalations by level',
  })
  stats(@Query() query: StatsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new StatsQuery(query, principal));
  }
}
