import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiBearer,
  ApiHistory,
  ApiPage,
  ApiProblems,
  ApiView,
  ref,
  ApiChangeCommand,
  ApiCreateCommand,
} from '../http/openapi';
import type { Response } from 'express';
import { Roles } from '../auth/roles.decorator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { etagOf } from '../http/if-match';
import { Caller, CurrentCaller } from '../http/caller';
import { IdParam } from '../http/id-param';
import { UnitService } from './unit.service';
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

/** The unit directory (单位): event-sourced; administrators maintain it, everyone reads it. */
@ApiTags('units')
@ApiBearer()
@Controller('units')
export class UnitsController {
  constructor(
    private readonly units: UnitService,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a unit; its id is derived from its code' })
  @ApiCreateCommand()
  create(@Body() body: CreateUnitRequestDto, @CurrentCaller() caller: Caller) {
    return this.units.create(body, caller);
  }

  @Get()
  @ApiOperation({ summary: 'The unit directory, ordered by code, with cursor paging' })
  @ApiPage(ref('UnitView'))
  @ApiProblems(400)
  list(@Query() query: ListUnitsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new ListUnitsQuery(query, principal));
  }

  @Get(':id')
  @ApiOperation({ summary: 'The unit folded from its events, or as it stood at ?asOf=; ETag is its revision' })
  @ApiView('UnitView')
  @ApiProblems(400, 404)
  async get(
    @IdParam('unit') id: string,
    @Query() query: UnitAsOfQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const unit = await this.queries.execute(new GetUnitQuery(id, principal, query.asOf));
    res.setHeader('ETag', etagOf(unit.revision));
    return unit;
  }

  @Get(':id/history')
  @ApiOperation({ summary: "The unit's events with actor, time and data (up to ?asOf= when given)" })
  @ApiHistory()
  @ApiProblems(400, 404)
  history(@IdParam('unit') id: string, @Query() query: UnitAsOfQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new GetUnitHistoryQuery(id, principal, query.asOf));
  }

  @Post(':id/rename')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Rename a unit (its code stays)' })
  @ApiChangeCommand()
  rename(@IdParam('unit') id: string, @Body() body: RenameUnitRequestDto, @CurrentCaller() caller: Caller) {
    return this.units.execute({ type: 'RenameUnit', data: { ...body, unitId: id } }, caller);
  }

  @Post(':id/move')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Move a unit under another supervising unit (or to the top)' })
  @ApiChangeCommand()
  move(@IdParam('unit') id: string, @Body() body: MoveUnitRequestDto, @CurrentCaller() caller: Caller) {
    return this.units.move(id, body.parentId, caller);
  }

  @Post(':id/head')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: "Set the unit's head (单位负责人)" })
  @ApiChangeCommand()
  head(@IdParam('unit') id: string, @Body() body: SetUnitHeadRequestDto, @CurrentCaller() caller: Caller) {
    return this.units.execute({ type: 'SetUnitHead', data: { ...body, unitId: id } }, caller);
  }

  @Post(':id/contacts')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: "Set the unit's notification contacts (e-mail, webhook)" })
  @ApiChangeCommand()
  contacts(@IdParam('unit') id: string, @Body() body: SetUnitContactsRequestDto, @CurrentCaller() caller: Caller) {
    return this.units.execute({ type: 'SetUnitContacts', data: { ...body, unitId: id } }, caller);
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Deactivate a unit, with a reason; it is no longer assignable' })
  @ApiChangeCommand()
  deactivate(@IdParam('unit') id: string, @Body() body: DeactivateUnitRequestDto, @CurrentCaller() caller: Caller) {
    return this.units.execute({ type: 'DeactivateUnit', data: { ...body, unitId: id } }, caller);
  }
}
