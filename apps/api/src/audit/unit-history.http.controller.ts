import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { unitDecider } from '@duban/domain';
import { CommandExecutor } from '../application/command-executor';
import { unitStream } from '../application/streams';
import { historyEntry } from '../issues/queries/get-issue-history.query';
import { AsOfQueryDto } from './audit.dto';

/** A unit's events, like an issue's history (units are directory data every role may read). */
@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitHistoryController {
  constructor(private readonly executor: CommandExecutor) {}

  @Get(':id/history')
  @ApiOperation({ summary: "The unit's events with actor, time and data (up to ?asOf= when given)" })
  async history(@Param('id', new ParseUUIDPipe()) id: string, @Query() query: AsOfQueryDto) {
    const { revision, events } = await this.executor.load(unitStream(id), unitDecider, query.asOf);
    if (revision < 0) throw new NotFoundException(query.asOf ? `unit ${id} did not exist at ${query.asOf}` : `no unit ${id}`);
    return { events: events.map(historyEntry) };
  }
}
