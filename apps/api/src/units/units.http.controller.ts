import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { etagOf, IfMatch } from '../http/if-match';
import { ExecuteUnitCommand } from './commands/execute-unit-command';
import { CreateUnitRequestDto } from './commands/create-unit/create-unit.request.dto';
import { RenameUnitRequestDto } from './commands/rename-unit/rename-unit.request.dto';
import { MoveUnitRequestDto } from './commands/move-unit/move-unit.request.dto';
import { SetUnitHeadRequestDto } from './commands/set-unit-head/set-unit-head.request.dto';
import { SetUnitContactsRequestDto } from './commands/set-unit-contacts/set-unit-contacts.request.dto';
import { DeactivateUnitRequestDto } from './commands/deactivate-unit/deactivate-unit.request.dto';
import {
  GetUnitHistoryQuery,
  GetUnitQuery,
  ListUnitsQuery,
  ListUnitsQueryDto,
  UnitAsOfQueryDto,
} from './queries/unit.queries';

const uuid = new ParseUUIDPipe();

/** The unit directory (单位): event-sourced; administrators maintain it, everyone reads it. */
@ApiTags('units')
@ApiBearerAuth()
@Controller('units')
export class UnitsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a unit; its id is derived from its code' })
  create(@Body() body: CreateUnitRequestDto, @CurrentPrincipal() p: Principal) {
    return this.commands.execute(new ExecuteUnitCommand(null, 'CreateUnit', { ...body }, p));
  }

  @Get()
  list(@Query() query: ListUnitsQueryDto) {
    return this.queries.execute(new ListUnitsQuery(query));
  }

  @Get(':id')
  @ApiOperation({ summary: 'The unit folded from its events, or as it stood at ?asOf=; ETag is its revision' })
  async get(
    @Param('id', uuid) id: string,
    @Query() query: UnitAsOfQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const unit = await this.queries.execute(new GetUnitQuery(id, query.asOf));
    res.setHeader('ETag', etagOf(unit.revision));
    return unit;
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The unit's events with actor, time and data (up to ?asOf= when given)" })
  history(@Param('id', uuid) id: string, @Query() query: UnitAsOfQueryDto) {
    return this.queries.execute(new GetUnitHistoryQuery(id, query.asOf));
  }

  @Post(':id/rename')
  @HttpCode(200)
  @Roles('admin')
  rename(
    @Param('id', uuid) id: string,
    @Body() body: RenameUnitRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.commands.execute(new ExecuteUnitCommand(id, 'RenameUnit', { ...body }, p, ifMatch));
  }

  @Post(':id/move')
  @HttpCode(200)
  @Roles('admin')
  move(
    @Param('id', uuid) id: string,
    @Body() body: MoveUnitRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.commands.execute(new ExecuteUnitCommand(id, 'MoveUnit', { ...body }, p, ifMatch));
  }

  @Post(':id/head')
  @HttpCode(200)
  @Roles('admin')
  head(
    @Param('id', uuid) id: string,
    @Body() body: SetUnitHeadRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.commands.execute(new ExecuteUnitCommand(id, 'SetUnitHead', { ...body }, p, ifMatch));
  }

  @Post(':id/contacts')
  @HttpCode(200)
  @Roles('admin')
  contacts(
    @Param('id', uuid) id: string,
    @Body() body: SetUnitContactsRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.commands.execute(new ExecuteUnitCommand(id, 'SetUnitContacts', { ...body }, p, ifMatch));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles('admin')
  deactivate(
    @Param('id', uuid) id: string,
    @Body() body: DeactivateUnitRequestDto,
    @CurrentPrincipal() p: Principal,
    @IfMatch() ifMatch?: number,
  ) {
    return this.commands.execute(new ExecuteUnitCommand(id, 'DeactivateUnit', { ...body }, p, ifMatch));
  }
}
