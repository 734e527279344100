import { Controller, Get, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { EnumField } from '../http/fields';
import {
  ApiBearer,
  ApiFormats,
  ApiJson,
  ApiProblems,
  COUNTS,
  INTEGER,
  nullable,
  NUMBER,
  object,
} from '../http/openapi';
import { XLSX } from '../http/xlsx';
import { ReadModelService } from '../read-model/read-model.service';
import { Stats, StatsQuery, StatsQueryDto } from './stats.query';
import { statsNames } from './stats.repository';
import { statsWorkbook } from './stats.workbook';

const VERDICT_COUNTS = object({ satisfied: INTEGER, basically_satisfied: INTEGER, unsatisfied: INTEGER });

const STATS_SCHEMA = object({
  basis: { type: 'string', enum: ['registered', 'event'] },
  total: INTEGER,
  byStatus: COUNTS,
  bySource: COUNTS,
  byUnit: COUNTS,
  byMonth: COUNTS,
  byCategory: COUNTS,
  byMode: COUNTS,
  byProgramme: COUNTS,
  byPartnerAgency: COUNTS,
  assigned: INTEGER,
  resultReported: INTEGER,
  closed: INTEGER,
  withdrawn: INTEGER,
  resolved: INTEGER,
  resolvedOnSpot: INTEGER,
  reopened: INTEGER,
  redListed: INTEGER,
  blackListed: INTEGER,
  missedProgressReports: INTEGER,
  overdue: INTEGER,
  onTimeRate: nullable(NUMBER),
  satisfaction: VERDICT_COUNTS,
  satisfactionRate: nullable(NUMBER),
  averageDaysToClose: nullable(NUMBER),
  escalationsByLevel: COUNTS,
  inspections: nullable(INTEGER),
  noticesIssued: INTEGER,
  unitsNotified: INTEGER,
  reporterSatisfaction: VERDICT_COUNTS,
  peopleDealtWith: INTEGER,
});

export class StatsWorkbookQueryDto extends StatsQueryDto {
  @EnumField(['zh', 'en'], {
    required: false,
    description: 'language of sheet names, headers and coded keys; default Chinese',
  })
  lang?: 'zh' | 'en';
}

@ApiTags('statistics')
@ApiBearer()
@Controller()
export class StatsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModel: ReadModelService,
  ) {}

  @Get('stats')
  @ApiOperation({
    summary:
      'The figures the seeds quote: counts by status, source, unit, month, category, mode, programme and partner agency; assigned, resolved (on-spot included), reopened, lists, inspections, notices; rates; basis=registered|event',
  })
  @ApiJson(STATS_SCHEMA)
  @ApiProblems(400, 403, 503)
  stats(@Query() query: StatsQueryDto, @CurrentPrincipal() principal: Principal): Promise<Stats> {
    return this.queries.execute(new StatsQuery(query, principal));
  }

  @Get('stats.xlsx')
  @ApiOperation({
    summary: 'The same figures as GET /stats as a workbook: the single figures, then one sheet per breakdown',
  })
  @ApiFormats({ xlsx: true })
  @ApiProblems(400, 403, 503)
  async workbook(
    @Query() query: StatsWorkbookQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res() res: Response,
  ): Promise<void> {
    const { lang, ...params } = query;
    const stats = await this.queries.execute(new StatsQuery(params, principal));
    const names = statsNames(this.readModel.db);
    const body = await statsWorkbook(stats, lang ?? 'zh', (id) => names.get(id));
    res.status(200);
    res.setHeader('Content-Type', XLSX);
    res.setHeader('Content-Disposition', `attachment; filename="stats-${stats.basis}.xlsx"`);
    res.setHeader('Cache-Control', 'no-store');
    res.end(body);
  }
}
