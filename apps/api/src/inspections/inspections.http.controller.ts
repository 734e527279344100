import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { newAggregateId } from '@duban/application';
import { INSPECTION_KINDS } from '@duban/domain';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { Caller, CurrentCaller } from '../http/caller';
import { MinPositionField } from '../http/fields';
import { IdParam } from '../http/id-param';
import {
  ApiBearer,
  ApiIdempotent,
  ApiIfMatch,
  ApiJson,
  ApiJsonBody,
  ApiPage,
  ApiProblems,
  arrayOf,
  INSTANT,
  INTEGER,
  nullable,
  object,
  TEXT,
  ApiCreateCommand,
} from '../http/openapi';
import { RecordFindingRequestDto } from './commands/record-finding.request.dto';
import { RecordInspectionRequestDto } from './commands/record-inspection.request.dto';
import { InspectionService } from './inspection.service';
import { GetInspectionQuery, ListInspectionsQuery, ListInspectionsQueryDto } from './queries/inspection.queries';

const INSPECTION = object({
  id: TEXT,
  kind: { type: 'string', enum: [...INSPECTION_KINDS] },
  date: TEXT,
  team: arrayOf(TEXT),
  unitIds: arrayOf(TEXT),
  programmeId: nullable(TEXT),
  findings: arrayOf(
    object({
      issueId: TEXT,
      unitId: TEXT,
      title: TEXT,
      at: INSTANT,
      by: TEXT,
      status: nullable(TEXT),
      leadUnitId: nullable(TEXT),
      deadline: nullable(INSTANT),
    }),
  ),
  units: arrayOf(object({ unitId: TEXT, findings: INTEGER, closed: INTEGER })),
  recordedAt: INSTANT,
  revision: INTEGER,
});

class GetInspectionQueryDto {
  @MinPositionField('wait until the read model has applied this position (the findings’ issue statuses)')
  minPosition?: number;
}

/** 明察暗访/专项督察: inspections of units, whose findings become issues. */
@ApiTags('inspections')
@ApiBearer()
@Controller('inspections')
export class InspectionsController {
  constructor(
    private readonly inspections: InspectionService,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('registrar')
  @ApiOperation({ summary: 'Record an inspection (明察, 暗访, 专项督察): kind, day, team, units checked' })
  @ApiCreateCommand()
  record(@Body() body: RecordInspectionRequestDto, @CurrentCaller() caller: Caller) {
    return this.inspections.record(newAggregateId('inspection'), body, caller);
  }

  @Post(':id/findings')
  @Roles('registrar', 'supervisor')
  @ApiOperation({
    summary:
      'Record a finding at a unit checked: registers an issue (source inspection, or undercover_visit for 暗访) naming the inspection',
  })
  @ApiJson(object({ issueId: TEXT, revision: INTEGER, position: INTEGER }), 201, 'Created')
  @ApiJsonBody()
  @ApiIfMatch()
  @ApiProblems(403, 404)
  @ApiIdempotent()
  recordFinding(
    @IdParam('inspection') id: string,
    @Body() body: RecordFindingRequestDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.inspections.recordFinding(id, body, caller);
  }

  @Get()
  @ApiOperation({
    summary:
      'Inspections, latest first, with findings and their issues’ status (unit officers: their unit’s, once held)',
  })
  @ApiPage(INSPECTION)
  @ApiProblems(400, 503)
  list(@Query() query: ListInspectionsQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new ListInspectionsQuery(query, principal));
  }

  @Get(':id')
  @ApiOperation({ summary: 'An inspection: units checked, findings, and each finding’s issue status now' })
  @ApiJson(INSPECTION)
  @ApiProblems(400, 404, 503)
  get(
    @IdParam('inspection') id: string,
    @Query() query: GetInspectionQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.queries.execute(new GetInspectionQuery(id, principal, query.minPosition));
  }
}
