import { Body, Controller, Get, Headers, Post, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { newAggregateId } from '@duban/application';
import { ISSUE_STATUSES, PROGRAMME_KINDS } from '@duban/domain';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { Caller, CurrentCaller } from '../http/caller';
import { EnumField, MinPositionField } from '../http/fields';
import { IdParam } from '../http/id-param';
import {
  ApiBearer,
  ApiFormats,
  ApiPage,
  ApiProblems,
  arrayOf,
  COUNTS,
  INSTANT,
  INTEGER,
  nullable,
  NUMBER,
  object,
  TEXT,
  ApiCreateCommand,
  ApiCreateWithinCommand,
} from '../http/openapi';
import { acceptsXlsx, streamXlsx, XLSX } from '../http/xlsx';
import { AddProgrammeTaskRequestDto } from './commands/add-programme-task.request.dto';
import { CreateProgrammeRequestDto } from './commands/create-programme.request.dto';
import { ProgrammeService } from './programme.service';
import { programmeSummaryColumns, programmeSummaryRows } from './queries/programme-summary.table';
import { GetProgrammeQuery, ListProgrammesQuery, ListProgrammesQueryDto } from './queries/programme.queries';

const PERIOD = object({ from: TEXT, to: TEXT });
const TASKS = object({
  total: INTEGER,
  byStatus: { ...COUNTS, description: `tasks per status (${ISSUE_STATUSES.join(', ')})` },
  overdue: INTEGER,
  onTimeRate: nullable(NUMBER),
});
const PROGRAMME = object({
  id: TEXT,
  name: TEXT,
  year: INTEGER,
  kind: { type: 'string', enum: [...PROGRAMME_KINDS] },
  period: PERIOD,
  leadLeader: nullable(object({ name: TEXT, title: TEXT })),
  phases: arrayOf(object({ key: TEXT, name: TEXT, from: TEXT, to: TEXT })),
  targets: arrayOf(TEXT),
  createdAt: INSTANT,
  revision: INTEGER,
  tasks: TASKS,
});
const PROGRAMME_DETAIL = {
  allOf: [
    PROGRAMME,
    object({
      byUnit: arrayOf(
        object({
          unitId: TEXT,
          unitName: nullable(TEXT),
          total: INTEGER,
          lead: INTEGER,
          overdue: INTEGER,
          closed: INTEGER,
        }),
      ),
      byPhase: arrayOf(object({ phase: nullable(TEXT), total: INTEGER, overdue: INTEGER, closed: INTEGER })),
    }),
  ],
};

export class GetProgrammeQueryDto {
  @EnumField(['json', 'xlsx'], {
    required: false,
    description: `xlsx: the summary as a workbook (also Accept: ${XLSX})`,
  })
  format?: 'json' | 'xlsx';

  @EnumField(['zh', 'en'], { required: false, description: 'the workbook’s language (default Chinese)' })
  lang?: 'zh' | 'en';

  @MinPositionField()
  minPosition?: number;
}

/** 专项行动/攻坚战/重点工作: a programme frames tasks, which are issues of kind task naming it. */
@ApiTags('programmes')
@ApiBearer()
@Controller('programmes')
export class ProgrammesController {
  constructor(
    private readonly programmes: ProgrammeService,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('registrar')
  @ApiOperation({
    summary: 'Create a programme (专项行动/攻坚战/重点工作) with its period, leader, phases and targets',
  })
  @ApiCreateCommand()
  create(@Body() body: CreateProgrammeRequestDto, @CurrentCaller() caller: Caller) {
    return this.programmes.create(newAggregateId('programme'), body, caller);
  }

  @Post(':id/tasks')
  @Roles('registrar')
  @ApiOperation({
    summary: 'Register and assign a task (任务, an issue of kind task) of the programme in one step',
  })
  @ApiCreateWithinCommand({ deadline: INSTANT, deadlineProvisional: { type: 'boolean' } })
  addTask(@IdParam('programme') id: string, @Body() body: AddProgrammeTaskRequestDto, @CurrentCaller() caller: Caller) {
    return this.programmes.addTask(id, body, caller);
  }

  @Get()
  @ApiOperation({
    summary: "Programmes, newest first, each with its tasks' figures (unit officers: those their unit has tasks in)",
  })
  @ApiPage(PROGRAMME)
  @ApiProblems(400, 503)
  list(@Query() query: ListProgrammesQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new ListProgrammesQuery(query, principal));
  }

  // declared before :id, which would otherwise take "<id>.xlsx" as the id
  @Get(':id.xlsx')
  @ApiOperation({ summary: "The programme's summary as a workbook (totals, phases, units)" })
  @ApiFormats({ xlsx: true })
  @ApiProblems(400, 404, 503)
  workbook(
    @IdParam('programme') id: string,
    @Query() query: GetProgrammeQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.get(id, { ...query, format: 'xlsx' }, undefined, principal, res);
  }

  @Get(':id')
  @ApiOperation({
    summary: `A programme with its tasks' figures (by status, overdue, on-time rate, by unit, by phase); XLSX with .xlsx, ?format=xlsx or Accept: ${XLSX}`,
  })
  @ApiFormats({ json: PROGRAMME_DETAIL, xlsx: true })
  @ApiProblems(400, 404, 503)
  async get(
    @IdParam('programme') id: string,
    @Query() query: GetProgrammeQueryDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const detail = await this.queries.execute(new GetProgrammeQuery(id, principal, query.minPosition));
    if ((query.format ?? (acceptsXlsx(accept) ? 'xlsx' : 'json')) === 'json') return detail;
    const lang = query.lang ?? 'zh';
    await streamXlsx(res, {
      filename: `programme-${id}.xlsx`,
      sheetName: lang === 'zh' ? '专项行动汇总' : 'Programme summary',
      columns: programmeSummaryColumns(lang),
      rows: programmeSummaryRows(detail, lang),
    });
    return undefined;
  }
}
