import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { IntField, UuidField } from '../http/fields';
import { ReadModelService } from '../read-model/read-model.service';
import { scopedUnitId } from '../issues/issue-access';

export class InboxQueryDto {
  @UuidField({ required: false, description: 'for the supervision office: one unit\'s inbox' })
  unitId?: string;

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true, description: 'notifications after this position (the previous page\'s nextCursor)' })
  after?: number;

  @IntField({ min: 1, max: 500, required: false, query: true })
  limit?: number;

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true })
  minPosition?: number;
}

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(private readonly readModel: ReadModelService) {}

  @Get()
  @ApiOperation({ summary: 'In-app notifications: a unit officer\'s unit, or any unit for the office' })
  async inbox(@Query() query: InboxQueryDto, @CurrentPrincipal() principal: Principal) {
    await this.readModel.ensure(query.minPosition);
    const unitId = scopedUnitId(principal, query.unitId);
    const limit = query.limit ?? 100;
    const rows = this.readModel.db
      .prepare(
        `SELECT id, unit_id AS unitId, kind, issue_id AS issueId, title, body, created_at AS createdAt, position FROM inbox
         WHERE position > ? AND (? IS NULL OR unit_id = ?) ORDER BY position, id LIMIT ?`,
      )
      .all(query.after ?? 0, unitId ?? null, unitId ?? null, limit + 1) as { position: number }[];
    const page = rows.slice(0, limit);
    return { items: page, nextCursor: rows.length > limit ? page[page.length - 1].position : null };
  }
}
