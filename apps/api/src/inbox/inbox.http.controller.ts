import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, ValidateIf } from 'class-validator';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { Roles } from '../auth/roles.decorator';
import { IntField, UuidField } from '../http/fields';
import {
  ApiBearer,
  ApiCommandAnswer,
  ApiIdempotent,
  ApiPage,
  ApiProblems,
  BOOLEAN,
  INSTANT,
  INTEGER,
  nullable,
  object,
  TEXT,
} from '../http/openapi';
import { ReadModelService } from '../read-model/read-model.service';
import { scopedUnitId } from '../issues/issue-access';
import { InboxService } from './inbox.service';

export class InboxQueryDto {
  @UuidField({ required: false, description: "for the supervision office: one unit's inbox" })
  unitId?: string;

  @ApiProperty({ required: false, enum: ['true', 'false'], description: 'only what the caller has not read' })
  @ValidateIf((_, v) => v !== undefined)
  @IsIn(['true', 'false'], { message: 'unread must be true or false' })
  unread?: string;

  @IntField({
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    required: false,
    query: true,
    description: "notifications after this position (the previous page's nextCursor)",
  })
  after?: number;

  @IntField({ min: 1, max: 500, required: false, query: true })
  limit?: number;

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true })
  minPosition?: number;
}

@ApiTags('inbox')
@ApiBearer()
@Controller('inbox')
export class InboxController {
  constructor(
    private readonly readModel: ReadModelService,
    private readonly notifications: InboxService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      "In-app notifications: a unit officer's unit, or every unit (and the office's own) for the office; `read` is the caller's",
  })
  @ApiPage(
    object({
      id: TEXT,
      unitId: nullable(TEXT),
      kind: TEXT,
      role: nullable(TEXT),
      proposal: nullable(TEXT),
      issueId: nullable(TEXT),
      title: TEXT,
      body: TEXT,
      createdAt: INSTANT,
      position: INTEGER,
      readAt: nullable(INSTANT),
      read: BOOLEAN,
    }),
    'integer',
  )
  @ApiProblems(400, 403, 503)
  // a supervisor (监督员) checks units' issues, not their mail: units' notifications are theirs and the office's
  @Roles('registrar', 'unit_officer', 'assessor', 'auditor', 'admin')
  async inbox(@Query() query: InboxQueryDto, @CurrentPrincipal() principal: Principal) {
    await this.readModel.ensure(query.minPosition);
    const unitId = scopedUnitId(principal, query.unitId);
    const limit = query.limit ?? 100;
    const rows = this.readModel.db
      .prepare(
        `SELECT n.id, n.unit_id AS unitId, n.kind, n.role, n.proposal, n.issue_id AS issueId, n.title, n.body, n.created_at AS createdAt, n.position,
                r.read_at AS readAt
         FROM inbox n LEFT JOIN inbox_reads r ON r.notification_id = n.id AND r.user_id = ?
         WHERE n.position > ? AND (? IS NULL OR n.unit_id = ?) AND (? = 0 OR r.read_at IS NULL)
         ORDER BY n.position, n.id LIMIT ?`,
      )
      .all(
        principal.id,
        query.after ?? 0,
        unitId ?? null,
        unitId ?? null,
        query.unread === 'true' ? 1 : 0,
        limit + 1,
      ) as { position: number; readAt: string | null }[];
    const page = rows.slice(0, limit).map((r) => ({ ...r, read: r.readAt !== null }));
    return { items: page, nextCursor: rows.length > limit ? page[page.length - 1].position : null };
  }

  @Post(':id/read')
  @HttpCode(200)
  @Roles('registrar', 'unit_officer', 'assessor', 'admin')
  @ApiOperation({ summary: 'Mark a notification read (for the caller); marking it again changes nothing' })
  @ApiCommandAnswer(200)
  @ApiProblems(400, 403, 404)
  @ApiIdempotent()
  markRead(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.notifications.markRead(id, principal);
  }
}
