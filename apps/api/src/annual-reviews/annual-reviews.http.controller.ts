import {
  Body,
  Controller,
  Get,
  Headers,
  NotFoundException,
  Param,
  PipeTransform,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Response } from 'express';
import { ANNUAL_REVIEW_LIMITS } from '@duban/domain';
import { Roles } from '../auth/roles.decorator';
import { Caller, CurrentCaller } from '../http/caller';
import { csvCell } from '../http/csv-cell';
import { EnumField, IntField } from '../http/fields';
import {
  ApiBearer,
  ApiFormats,
  ApiJson,
  ApiProblems,
  arrayOf,
  FREE_OBJECT,
  INSTANT,
  INTEGER,
  NUMBER,
  object,
  TEXT,
  ApiCreateCommand,
} from '../http/openapi';
import { acceptsXlsx, streamXlsx } from '../http/xlsx';
import { ReadModelService } from '../read-model/read-model.service';
import { AnnualReviewService } from './annual-review.service';
import { CreateAnnualReviewRequestDto } from './commands/annual-review.request.dto';
import { AnnualReviewResults, AnnualReviewResultsQuery } from './queries/annual-review-results.query';
import { annualReviewColumns } from './queries/annual-review-results.table';

/** `:year` names a review or nothing: anything but a year in range is 404, like any id that names nothing. */
class YearPipe implements PipeTransform<unknown, number> {
  transform(value: unknown): number {
    // the global ValidationPipe may have turned the text into a number already (NaN when it was none)
    const text = String(value);
    const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
    if (!(year >= ANNUAL_REVIEW_LIMITS.yearMin && year <= ANNUAL_REVIEW_LIMITS.yearMax))
      throw new NotFoundException(`no year-end review for ${text.slice(0, 100)}`);
    return year;
  }
}
const YearParam = () => Param('year', new YearPipe());
const ApiYear = () => ApiParam({ name: 'year', schema: { type: 'integer', example: 2026 } });

export class AnnualReviewResultsQueryDto {
  @EnumField(['zh', 'en'], { required: false, description: 'CSV/XLSX header language (default Chinese)' })
  lang?: 'zh' | 'en';

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true })
  minPosition?: number;
}

const RESULTS = object({
  year: INTEGER,
  window: object({ from: INSTANT, to: INSTANT }),
  computedAt: INSTANT,
  definition: FREE_OBJECT,
  items: arrayOf(
    object({
      rank: INTEGER,
      unitId: TEXT,
      code: TEXT,
      name: TEXT,
      score: NUMBER,
      byItem: {
        type: 'object',
        additionalProperties: object({ value: { ...NUMBER, nullable: true }, points: NUMBER }),
      },
      bonus: NUMBER,
      bonuses: arrayOf(TEXT),
    }),
  ),
});

/** 年度考核: the office defines the year's review once; its results are computed from the read models on demand. */
@ApiTags('annual-reviews')
@ApiBearer()
@Controller('annual-reviews')
export class AnnualReviewsController {
  constructor(
    private readonly reviews: AnnualReviewService,
    private readonly results: AnnualReviewResultsQuery,
    private readonly readModel: ReadModelService,
  ) {}

  @Post()
  @Roles('registrar')
  @ApiOperation({
    summary:
      "Define a year's review (年度考核), once: items over metrics with weights summing to 1 and which way is better, bonuses, optionally the units",
  })
  @ApiCreateCommand()
  create(@Body() body: CreateAnnualReviewRequestDto, @CurrentCaller() caller: Caller) {
    return this.reviews.create(body, caller);
  }

  @Get(':year')
  @Roles('registrar', 'auditor', 'assessor')
  @ApiOperation({ summary: "The year's review as defined" })
  @ApiYear()
  @ApiJson(object({ year: INTEGER, items: arrayOf(FREE_OBJECT), bonuses: arrayOf(FREE_OBJECT), revision: INTEGER }))
  @ApiProblems(403, 404)
  definition(@YearParam() year: number) {
    return this.results.definition(year);
  }

  @Get(':year/results')
  @Roles('registrar', 'auditor', 'assessor')
  @ApiOperation({
    summary:
      'Rank, unit, score, each item’s value and points, bonus: computed now from the read models (CSV with Accept: text/csv, XLSX with Accept: the workbook type)',
  })
  @ApiYear()
  @ApiFormats({ json: RESULTS, csv: true, xlsx: true })
  @ApiProblems(400, 403, 404, 503)
  async get(
    @YearParam() year: number,
    @Query() query: AnnualReviewResultsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.readModel.ensure(query.minPosition);
    const results = await this.results.results(year);
    if (acceptsXlsx(accept)) return this.xlsx(res, results, query.lang);
    return /text\/csv/.test(accept ?? '') ? this.csv(res, results, query.lang) : results;
  }

  @Get(':year/results.csv')
  @Roles('registrar', 'auditor', 'assessor')
  @ApiOperation({ summary: 'The results as CSV: UTF-8 with BOM, Chinese headers (?lang=en for English), RFC 4180' })
  @ApiYear()
  @ApiFormats({ csv: true })
  @ApiProblems(400, 403, 404, 503)
  async getCsv(
    @YearParam() year: number,
    @Query() query: AnnualReviewResultsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.readModel.ensure(query.minPosition);
    return this.csv(res, await this.results.results(year), query.lang);
  }

  @Get(':year/results.xlsx')
  @Roles('registrar', 'auditor', 'assessor')
  @ApiOperation({ summary: 'The results as an Excel workbook (figures as numbers; ?lang=en for English headers)' })
  @ApiYear()
  @ApiFormats({ xlsx: true })
  @ApiProblems(400, 403, 404, 503)
  async getXlsx(
    @YearParam() year: number,
    @Query() query: AnnualReviewResultsQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    await this.readModel.ensure(query.minPosition);
    return this.xlsx(res, await this.results.results(year), query.lang);
  }

  private csv(res: Response, results: AnnualReviewResults, lang: 'zh' | 'en' = 'zh'): string {
    res.setHeader('content-type', 'text/csv; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="annual-review-${results.year}.csv"`);
    const columns = annualReviewColumns(results, lang);
    // csvCell: a unit code, name or item name that starts a formula is neutralised (OWASP)
    const rows = results.items.map((item) =>
      columns.map((c) => csvCell(c.text ? c.text(c.value(item)) : c.value(item))),
    );
    return '\uFEFF' + stringify([columns.map((c) => csvCell(c.header)), ...rows], { record_delimiter: '\r\n' });
  }

  private async xlsx(res: Response, results: AnnualReviewResults, lang: 'zh' | 'en' = 'zh'): Promise<undefined> {
    const columns = annualReviewColumns(results, lang);
    const rows = results.items.map((item) => Object.fromEntries(columns.map((c) => [c.key, c.value(item)])));
    await streamXlsx(res, {
      filename: `annual-review-${results.year}.xlsx`,
      sheetName: lang === 'zh' ? '年度考核结果' : 'Year-end review',
      columns,
      rows,
    });
    return undefined;
  }
}
