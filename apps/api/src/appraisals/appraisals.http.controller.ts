import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Public } from '../auth/public.decorator';
import { Roles } from '../auth/roles.decorator';
import { EnumField, IntField, TextField, UuidField } from '../http/fields';
import { acceptsXlsx, streamXlsx, XLSX } from '../http/xlsx';
import { ReadModelService } from '../read-model/read-model.service';
import {
  CastBallotRequestDto,
  CreateCampaignRequestDto,
  IssueBallotTokensRequestDto,
  RegisterEvaluatorRequestDto,
} from './commands/appraisal.request.dto';
import { AppraisalCommandType, ExecuteAppraisalCommand } from './commands/execute-appraisal-command';
import { CastBallotCommand } from './commands/cast-ballot.command';
import { BallotAuthGuard } from './ballot-auth.guard';
import { AppraisalResults, AppraisalResultsQuery } from './queries/appraisal-results.query';
import { resultColumns } from './queries/appraisal-results.table';

const uuid = new ParseUUIDPipe({ version: undefined });

export class RoundParam {
  @UuidField()
  id: string;

  @TextField({ max: 40, pattern: /^[a-z][a-z0-9_-]{0,39}$/ })
  round: string;
}

export class ResultsQueryDto {
  @EnumField(['zh', 'en'], { required: false, description: 'CSV/XLSX header language (default Chinese)' })
  lang?: 'zh' | 'en';

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true })
  minPosition?: number;
}

/** 民主评议: registrars run campaigns, evaluators vote (anonymous tokens or their JWT), results are published. */
@ApiTags('appraisals')
@ApiBearerAuth()
@Controller('appraisals')
export class AppraisalsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly results: AppraisalResultsQuery,
    private readonly readModel: ReadModelService,
  ) {}

  private run(id: string, type: AppraisalCommandType, body: object, principal: Principal) {
    return this.commands.execute(new ExecuteAppraisalCommand(id, type, { ...body }, principal));
  }

  @Post()
  @Roles('registrar')
  @ApiOperation({
    summary:
      'Create a campaign: units (免评 exempt ones apart), criteria and groups with weights summing to 1, a scale, rounds, the bottom-N rule, the low-score threshold',
  })
  create(@Body() body: CreateCampaignRequestDto, @CurrentPrincipal() principal: Principal) {
    return this.run(randomUUID(), 'CreateCampaign', body, principal);
  }

  @Post(':id/evaluators')
  @Roles('registrar')
  @ApiOperation({
    summary:
      'Register a named evaluator (e.g. a supervisor 监督员) into a group; they vote with their JWT as an assessor',
  })
  evaluator(
    @Param('id', uuid) id: string,
    @Body() body: RegisterEvaluatorRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.run(id, 'RegisterEvaluator', body, principal);
  }

  @Post(':id/ballot-tokens')
  @Roles('registrar')
  @ApiOperation({
    summary:
      'Issue N anonymous ballot tokens for a group: returned once, only their hashes are kept, never who got them',
  })
  tokens(
    @Param('id', uuid) id: string,
    @Body() body: IssueBallotTokensRequestDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.run(id, 'IssueBallotTokens', body, principal);
  }

  @Post(':id/rounds/:round/open')
  @HttpCode(200)
  @Roles('registrar')
  open(@Param() { id, round }: RoundParam, @CurrentPrincipal() principal: Principal) {
    return this.run(id, 'OpenRound', { round }, principal);
  }

  @Post(':id/rounds/:round/close')
  @HttpCode(200)
  @Roles('registrar')
  @ApiOperation({ summary: 'Close a round: its tally is frozen (ballots committed after the close do not count)' })
  close(@Param() { id, round }: RoundParam, @CurrentPrincipal() principal: Principal) {
    return this.run(id, 'CloseRound', { round }, principal);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('registrar')
  @ApiOperation({
    summary:
      'Publish: rank by weighted score, flag the bottom N, open a rectification issue for each unit under the threshold',
  })
  publish(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal) {
    return this.run(id, 'PublishResults', {}, principal);
  }

  @Post(':id/ballots')
  @Public()
  @UseGuards(BallotAuthGuard)
  @ApiOperation({
    summary:
      'Cast a ballot: with an anonymous `token` (no JWT), or as a registered evaluator with a bearer token; one per evaluator, unit and round',
  })
  ballot(
    @Param('id', uuid) id: string,
    @Body() body: CastBallotRequestDto,
    @Req() request: Request & { principal?: Principal },
  ) {
    return this.commands.execute(new CastBallotCommand(id, body, request.principal ?? null));
  }

  @Get(':id/results')
  @ApiOperation({
    summary: `Rank, unit, score per group and criterion, weighted total, bottom-N flag, issues opened and their status (CSV with Accept: text/csv, XLSX with Accept: ${XLSX})`,
  })
  async get(
    @Param('id', uuid) id: string,
    @Query() query: ResultsQueryDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.readModel.ensure(query.minPosition);
    const results = this.results.results(id, principal);
    if (acceptsXlsx(accept)) return this.xlsx(res, results, query.lang);
    return /text\/csv/.test(accept ?? '') ? this.csv(res, results, query.lang) : results;
  }

  @Get(':id/results.csv')
  @ApiOperation({ summary: 'The results as CSV: UTF-8 with BOM, Chinese headers (?lang=en for English), RFC 4180' })
  async getCsv(
    @Param('id', uuid) id: string,
    @Query() query: ResultsQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.readModel.ensure(query.minPosition);
    return this.csv(res, this.results.results(id, principal), query.lang);
  }

  @Get(':id/results.xlsx')
  @ApiOperation({
    summary:
      'The results as an Excel workbook: Chinese headers (?lang=en for English), scores as numbers, the bottom-N flag as a boolean',
  })
  async getXlsx(
    @Param('id', uuid) id: string,
    @Query() query: ResultsQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.readModel.ensure(query.minPosition);
    return this.xlsx(res, this.results.results(id, principal), query.lang);
  }

  private csv(res: Response, results: AppraisalResults, lang: 'zh' | 'en' = 'zh'): string {
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="appraisal-${results.campaignId}.csv"`);
    const columns = resultColumns(results, lang);
    const rows = results.items.map((item) => columns.map((c) => (c.text ? c.text(c.value(item)) : c.value(item))));
    return '\uFEFF' + stringify([columns.map((c) => c.header), ...rows], { record_delimiter: '\r\n' });
  }

  private async xlsx(res: Response, results: AppraisalResults, lang: 'zh' | 'en' = 'zh'): Promise<undefined> {
    const columns = resultColumns(results, lang);
    const rows = results.items.map((item) => Object.fromEntries(columns.map((c) => [c.key, c.value(item)])));
    await streamXlsx(res, {
      filename: `appraisal-${results.campaignId}.xlsx`,
      sheetName: lang === 'zh' ? '评议结果' : 'Results',
      columns,
      rows,
    });
    return undefined;
  }
}
