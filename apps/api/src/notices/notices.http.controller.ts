import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { newAggregateId } from '@duban/application';
import { NOTICE_KINDS } from '@duban/domain';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { Caller, CurrentCaller } from '../http/caller';
import { IdParam } from '../http/id-param';
import {
  ApiBearer,
  ApiCommandAnswer,
  ApiIdempotent,
  ApiIfMatch,
  ApiJson,
  ApiPage,
  ApiProblems,
  arrayOf,
  BOOLEAN,
  INSTANT,
  INTEGER,
  nullable,
  object,
  TEXT,
  ApiCreateCommand,
} from '../http/openapi';
import { CreateNoticeRequestDto } from './commands/create-notice.request.dto';
import { NoticeService } from './notice.service';
import { GetNoticeQuery, ListNoticesQuery, ListNoticesQueryDto } from './queries/notice.queries';

const NOTICE = object({
  id: TEXT,
  kind: { type: 'string', enum: [...NOTICE_KINDS] },
  title: TEXT,
  body: TEXT,
  unitIds: arrayOf(TEXT),
  issueIds: arrayOf(TEXT),
  status: TEXT,
  published: BOOLEAN,
  createdAt: INSTANT,
  publishedAt: nullable(INSTANT),
  revision: INTEGER,
});

/** 通报: the office drafts and publishes notices naming units; the units named are told (inbox). */
@ApiTags('notices')
@ApiBearer()
@Controller('notices')
export class NoticesController {
  constructor(
    private readonly notices: NoticeService,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('registrar')
  @ApiOperation({ summary: 'Draft a notice (通报) naming units and, optionally, issues' })
  @ApiCreateCommand()
  create(@Body() body: CreateNoticeRequestDto, @CurrentCaller() caller: Caller) {
    return this.notices.create(newAggregateId('notice'), body, caller);
  }

  @Post(':id/publish')
  @HttpCode(200)
  @Roles('registrar')
  @ApiOperation({ summary: 'Publish a notice, once; the units it names are told' })
  @ApiCommandAnswer()
  @ApiIfMatch()
  @ApiProblems(403, 404)
  @ApiIdempotent()
  publish(@IdParam('notice') id: string, @CurrentCaller() caller: Caller) {
    return this.notices.publish(id, caller);
  }

  @Get()
  @ApiOperation({
    summary:
      'Notices, newest first, with cursor paging (drafts for the office; unit officers: published ones naming their unit)',
  })
  @ApiPage(NOTICE)
  @ApiProblems(400, 503)
  list(@Query() query: ListNoticesQueryDto, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new ListNoticesQuery(query, principal));
  }

  @Get(':id')
  @ApiOperation({ summary: 'A notice folded from its events' })
  @ApiJson(NOTICE)
  @ApiProblems(404)
  get(@IdParam('notice') id: string, @CurrentPrincipal() principal: Principal) {
    return this.queries.execute(new GetNoticeQuery(id, principal));
  }
}
