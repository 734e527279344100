import { applyDecorators, Controller, Get, NotFoundException, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { NOTICE_KINDS } from '@duban/domain';
import { noticePage } from '@duban/projections';
import { AppraisalResultsQuery } from '../appraisals/queries/appraisal-results.query';
import { Public } from '../auth/public.decorator';
import type { Principal } from '../auth/principal';
import { decodeCursor, keysetPage } from '../http/cursor';
import { IntField, TextField } from '../http/fields';
import { IdParam } from '../http/id-param';
import {
  ApiJson,
  ApiProblems,
  ApiPublic,
  arrayOf,
  BOOLEAN,
  INSTANT,
  INTEGER,
  nullable,
  NUMBER,
  object,
  ref,
  TEXT,
} from '../http/openapi';
import { PROBLEM_CONTENT_TYPE } from '../http/problem';
import { ListsRepository } from '../lists/lists.repository';
import { ReadModelService } from '../read-model/read-model.service';
import { sendCacheableJson } from './cacheable-json';
import { UnitNamesRepository } from './unit-names.repository';

/** The appraisal results query reads published results for the office's roles; the public sees only published ones. */
const PUBLIC_READER: Principal = { id: 'public', name: 'public', roles: ['auditor'] };

const UNIT = object({ code: TEXT, name: TEXT });
const LIST_ENTRY = object({ list: TEXT, unit: nullable(UNIT), issueTitle: TEXT, reason: TEXT, listedAt: INSTANT });
const NOTICE = object({
  id: TEXT,
  kind: { type: 'string', enum: [...NOTICE_KINDS] },
  title: TEXT,
  body: TEXT,
  units: arrayOf(UNIT),
  publishedAt: INSTANT,
});
const RESULTS = object({
  campaign: object({ id: TEXT, name: TEXT, year: INTEGER }),
  items: arrayOf(object({ rank: INTEGER, unitCode: TEXT, unitName: nullable(TEXT), score: NUMBER, bottom: BOOLEAN })),
});

/** What every public answer may also be: cached (304) or refused for too many requests from one address (429). */
function ApiCacheable() {
  return applyDecorators(
    ApiResponse({ status: 304, description: 'Not Modified: If-None-Match names the current ETag' }),
    ApiResponse({
      status: 429,
      description: 'too many requests from this address (Retry-After says when to ask again)',
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ref('Problem') } },
    }),
  );
}

export class PublicNoticesQueryDto {
  @TextField({ max: 200, required: false, description: "the previous page's nextCursor" })
  cursor?: string;

  @IntField({ min: 1, max: 200, required: false, example: 50, query: true })
  limit?: number;
}

/**
 * 公开: what the office has published — red and black lists, notices, appraisal results — for anyone,
 * without a token. Units, titles and outcomes only: never a reporter, an evaluator, a person or a phone.
 */
@ApiTags('public disclosure')
@Public()
@ApiPublic()
@Controller('public/v1')
export class PublicDisclosureController {
  constructor(
    private readonly lists: ListsRepository,
    private readonly appraisalResults: AppraisalResultsQuery,
    private readonly readModel: ReadModelService,
    private readonly units: UnitNamesRepository,
  ) {}

  @Get('lists/red')
  @ApiOperation({ summary: 'The published red list (红榜): unit, issue title, reason, date' })
  @ApiJson(object({ items: arrayOf(LIST_ENTRY) }))
  @ApiCacheable()
  async red(@Req() request: Request, @Res() response: Response) {
    sendCacheableJson(request, response, await this.listed('red'));
  }

  @Get('lists/black')
  @ApiOperation({ summary: 'The published black list (黑榜): unit, issue title, reason, date' })
  @ApiJson(object({ items: arrayOf(LIST_ENTRY) }))
  @ApiCacheable()
  async black(@Req() request: Request, @Res() response: Response) {
    sendCacheableJson(request, response, await this.listed('black'));
  }

  @Get('notices')
  @ApiOperation({ summary: 'Published notices (通报), newest first: kind, title, text, the units named, date' })
  @ApiJson(object({ items: arrayOf(NOTICE), nextCursor: nullable(TEXT) }))
  @ApiProblems(400)
  @ApiCacheable()
  notices(@Query() query: PublicNoticesQueryDto, @Req() request: Request, @Res() response: Response) {
    const limit = query.limit ?? 50;
    const records = noticePage(this.readModel.db, {
      publishedOnly: true,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const units = this.units.byIds(records.slice(0, limit).flatMap((n) => n.unitIds));
    sendCacheableJson(
      request,
      response,
      keysetPage(
        records,
        limit,
        (n) => ({
          id: n.id,
          kind: n.kind,
          title: n.title,
          body: n.body,
          units: n.unitIds.flatMap((id) => units.get(id) ?? []),
          publishedAt: n.publishedAt,
        }),
        (n) => [n.createdAt!, n.id!],
      ),
    );
  }

  @Get('appraisals/:id/results')
  @ApiOperation({ summary: "A campaign's published results (民主评议): rank, unit, score, bottom-N flag" })
  @ApiJson(RESULTS)
  @ApiProblems(404)
  @ApiCacheable()
  results(@IdParam('appraisal campaign') id: string, @Req() request: Request, @Res() response: Response) {
    const results = this.appraisalResults.results(id, PUBLIC_READER);
    // an unpublished campaign is none of the public's business, not even that it exists
    if (!results.published) throw new NotFoundException(`appraisal campaign ${id} has no published results`);
    const units = this.units.byIds(results.items.map((i) => i.unitId));
    sendCacheableJson(request, response, {
      campaign: { id: results.campaignId, name: results.name, year: results.year },
      items: results.items.map((i) => ({
        rank: i.rank,
        unitCode: i.code,
        unitName: units.get(i.unitId)?.name ?? null,
        score: i.score,
        bottom: i.bottom,
      })),
    });
  }

  /** The lists controller's published list, without who listed it or anything about the issue but its title. */
  private async listed(list: 'red' | 'black') {
    const { items } = await this.lists.published(list);
    const units = this.units.byIds(items.flatMap((i) => (i.leadUnitId ? [i.leadUnitId] : [])));
    return {
      items: items.map((i) => ({
        list,
        unit: (i.leadUnitId && units.get(i.leadUnitId)) || null,
        issueTitle: i.title,
        reason: i.reason,
        listedAt: i.listedAt,
      })),
    };
  }
}
