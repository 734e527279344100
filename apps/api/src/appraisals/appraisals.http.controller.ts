import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiBearer,
  ApiCommandAnswer,
  ApiFormats,
  ApiIdempotent,
  ApiJson,
  ApiProblems,
  ApiPublic,
  arrayOf,
  BOOLEAN,
  FREE_OBJECT,
  INTEGER,
  object,
  TEXT,
  ApiCreateCommand,
  ApiCreateWithinCommand,
} from '../http/openapi';
import { stringify } from 'csv-stringify/sync';
import { csvCell } from '../http/csv-cell';
import type { Request, Response } from 'express';
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
import { AppraisalService } from './appraisal.service';
import { Caller, CurrentCaller } from '../http/caller';
import { IdParam } from '../http/id-param';
import { BallotAuthGuard } from './ballot-auth.guard';
import { AppraisalCommentsQuery } from './queries/appraisal-comments.query';
import { AppraisalResults, AppraisalResultsQuery } from './queries/appraisal-results.query';
import { resultColumns } from './queries/appraisal-results.table';

/** `:id` is read (and answered 404 when malformed) by IdParam; this validates `:round`. */
export class RoundParam {
  @TextField({ max: 2000 })
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

export class CommentsQueryDto {
  @UuidField({ description: 'the unit whose evaluators’ comments to read' })
  unitId: string;

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true })
  minPosition?: number;
}

/** 民主评议: registrars run campaigns, evaluators vote (anonymous tokens or their JWT), results are published. */
@ApiTags('appraisals')
@ApiBearer()
@Controller('appraisals')
export class AppraisalsController {
  constructor(
    private readonly appraisals: AppraisalService,
    private readonly results: AppraisalResultsQuery,
    private readonly comments: AppraisalCommentsQuery,
    private readonly readModel: ReadModelService,
  ) {}

  @Post()
  @Roles('registrar')
  @ApiOperation({
    summary:
      'Create a campaign: units (免评 exempt ones apart), criteria and groups with weights summing to 1, a scale, rounds, the bottom-N rule, the low-score threshold',
  })
  @ApiCreateCommand()
  create(@Body() body: CreateCampaignRequestDto, @CurrentCaller() caller: Caller) {
    return this.appraisals.create(body, caller);
  }

  @Post(':id/evaluators')
  @Roles('registrar')
  @ApiOperation({
    summary:
      'Register a named evaluator (e.g. a supervisor 监督员) into a group; they vote with their JWT as an assessor',
  })
  @ApiCreateWithinCommand()
  evaluator(
    @IdParam('appraisal campaign') id: string,
    @Body() body: RegisterEvaluatorRequestDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.appraisals.execute({ type: 'RegisterEvaluator', data: { ...body, campaignId: id } }, caller);
  }

  @Post(':id/ballot-tokens')
  @Roles('registrar')
  @ApiOperation({
    summary:
      'Issue N anonymous ballot tokens for a group: returned once, only their hashes are kept, never who got them',
  })
  @ApiCreateWithinCommand({ tokens: arrayOf(TEXT) })
  tokens(
    @IdParam('appraisal campaign') id: string,
    @Body() body: IssueBallotTokensRequestDto,
    @CurrentCaller() caller: Caller,
  ) {
    return this.appraisals.issueTokens(id, body.group, body.count, caller);
  }

  @Post(':id/rounds/:round/open')
  @HttpCode(200)
  @Roles('registrar')
  @ApiOperation({ summary: 'Open a round: ballots for it are accepted until it is closed' })
  @ApiCommandAnswer()
  @ApiProblems(400, 403, 404)
  @ApiIdempotent()
  open(@IdParam('appraisal campaign') id: string, @Param() { round }: RoundParam, @CurrentCaller() caller: Caller) {
    return this.appraisals.execute({ type: 'OpenRound', data: { campaignId: id, round } }, caller);
  }

  @Post(':id/rounds/:round/close')
  @HttpCode(200)
  @Roles('registrar')
  @ApiOperation({ summary: 'Close a round: its tally is frozen (ballots committed after the close do not count)' })
  @ApiCommandAnswer()
  @ApiProblems(400, 403, 404)
  @ApiIdempotent()
  close(@IdParam('appraisal campaign') id: string, @Param() { round }: RoundParam, @CurrentCaller() caller: Caller) {
    return this.appraisals.execute({ type: 'CloseRound', data: { campaignId: id, round } }, caller);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('registrar')
  @ApiOperation({
    summary:
      'Publish: rank by weighted score, flag the bottom N, open a rectification issue for each unit under the threshold',
  })
  @ApiCommandAnswer(200, { issueIds: arrayOf(TEXT) })
  @ApiProblems(403, 404)
  @ApiIdempotent()
  publish(@IdParam('appraisal campaign') id: string, @CurrentCaller() caller: Caller) {
    return this.appraisals.publish(id, caller);
  }

  @Post(':id/ballots')
  @Public()
  @UseGuards(BallotAuthGuard)
  @ApiOperation({
    summary:
      'Cast a ballot: with an anonymous `token` (no JWT), or as a registered evaluator with a bearer token; one per evaluator, unit and round',
  })
  @ApiPublic('bearer')
  @ApiCreateWithinCommand({ ballotId: TEXT })
  ballot(
    @IdParam('appraisal campaign') id: string,
    @Body() body: CastBallotRequestDto,
    @Req() request: Request & { principal?: Principal },
  ) {
    return this.appraisals.castBallot(id, body, request.principal ?? null);
  }

  @Get(':id/results')
  @ApiOperation({
    summary: `Rank, unit, score per group and criterion, weighted total, bottom-N flag, issues opened and their status (CSV with Accept: text/csv, XLSX with Accept: ${XLSX})`,
  })
  @ApiFormats({
    json: object({
      campaignId: TEXT,
      name: TEXT,
      published: BOOLEAN,
      items: arrayOf(FREE_OBJECT),
      ballotsCounted: INTEGER,
    }),
    csv: true,
    xlsx: true,
  })
  @ApiProblems(400, 403, 404, 503)
  async get(
    @IdParam('appraisal campaign') id: string,
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

  @Get(':id/comments')
  @ApiOperation({
    summary:
      "After publication, a unit's evaluators' comments (请对照评议意见整改): round and text only, no evaluator, token or ballot, in a stable shuffled order; the office, or the unit's own officers",
  })
  @ApiJson(object({ items: arrayOf(object({ round: TEXT, comment: TEXT })) }))
  @ApiProblems(400, 403, 404, 409, 503)
  async getComments(
    @IdParam('appraisal campaign') id: string,
    @Query() query: CommentsQueryDto,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.readModel.ensure(query.minPosition);
    return this.comments.comments(id, query.unitId, principal);
  }

  @Get(':id/results.csv')
  @ApiOperation({ summary: 'The results as CSV: UTF-8 with BOM, Chinese headers (?lang=en for English), RFC 4180' })
  @ApiFormats({ csv: true })
  @ApiProblems(400, 403, 404, 503)
  async getCsv(
    @IdParam('appraisal campaign') id: string,
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
  @ApiFormats({ xlsx: true })
  @ApiProblems(400, 403, 404, 503)
  async getXlsx(
    @IdParam('appraisal campaign') id: string,
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
    // csvCell: a unit code, group or criterion name that starts a formula is neutralised (OWASP)
    const rows = results.items.map((item) =>
      columns.map((c) => csvCell(c.text ? c.text(c.value(item)) : c.value(item))),
    );
    return '\uFEFF' + stringify([columns.map((c) => csvCell(c.header)), ...rows], { record_delimiter: '\r\n' });
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
