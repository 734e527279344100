import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { CurrentCaller, type Caller } from '../http/caller';
import {
  ApiBearer,
  ApiIdempotent,
  ApiJson,
  ApiJsonBody,
  ApiProblems,
  arrayOf,
  INSTANT,
  INTEGER,
  nullable,
  object,
  TEXT,
} from '../http/openapi';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { ErasePersonalDataRequestDto, PersonalDataAccessQueryDto } from './personal-data.dto';
import { PersonalDataErasure } from './personal-data-erasure';
import { PersonalDataService } from './personal-data.service';

/** PIPL: erasure (admins) and the access log of confidential identities (auditors and admins). */
@ApiTags('personal data')
@ApiBearer()
@ApiProblems(403)
@Controller()
export class PersonalDataController {
  constructor(
    private readonly erasure: PersonalDataErasure,
    private readonly personalData: PersonalDataService,
  ) {}

  @Post('admin/personal-data/erase')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({
    summary:
      "Erase a reporter's personal data (PIPL, crypto-shredding): their data key is destroyed and ReporterErased recorded; the log stays verifiable",
  })
  @ApiJsonBody()
  @ApiJson(object({ issueId: TEXT, reporterId: TEXT, keyId: TEXT, revision: INTEGER, position: INTEGER }))
  @ApiProblems(400, 404, 409)
  @ApiIdempotent()
  erase(@Body() body: ErasePersonalDataRequestDto, @CurrentCaller() caller: Caller) {
    return this.erasure.erase(body, caller);
  }

  @Get('audit/personal-data-access')
  @Roles('auditor')
  @ApiOperation({
    summary: "Who looked at a confidential reporter's identity, when, which issue (and exports with personal data)",
  })
  @ApiJson(
    object({
      items: arrayOf(
        object({
          seq: INTEGER,
          at: INSTANT,
          actorId: TEXT,
          actorRole: TEXT,
          issueId: nullable(TEXT),
          reporterId: nullable(TEXT),
          purpose: TEXT,
        }),
      ),
      nextAfter: nullable(INTEGER),
    }),
  )
  @ApiProblems(400)
  async accesses(@Query() query: PersonalDataAccessQueryDto, @CurrentPrincipal() _principal: Principal) {
    const limit = query.limit ?? 100;
    const items = await this.personalData.vault.keys.accesses({
      issueId: query.issueId,
      reporterId: query.reporterId,
      afterSeq: query.after,
      limit,
    });
    return { items, nextAfter: items.length === limit ? items[items.length - 1].seq : null };
  }
}
