import { Controller, Get, Headers, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import { once } from 'node:events';
import type { IssueState } from '@duban/domain';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { EnumField, IntField, TextField, UuidField } from '../http/fields';
import { ReadModelService } from '../read-model/read-model.service';
import { canSeeConfidentialReporter, scopedUnitId } from '../issues/issue-access';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { LEDGERS } from './ledgers';

export class LedgerQueryDto {
  @EnumField(['zh', 'en'], { required: false, description: 'CSV header language (default Chinese)' })
  lang?: 'zh' | 'en';

  @UuidField({ required: false })
  unitId?: string;

  @TextField({ max: 300, required: false, pattern: /^[A-Za-z0-9_-]+$/ })
  cursor?: string;

  @IntField({ min: 1, max: 1000, required: false, query: true })
  limit?: number;

  @IntField({ min: 0, max: Number.MAX_SAFE_INTEGER, required: false, query: true })
  minPosition?: number;
}

const NAME = /^(problems|responsibilities|rectifications)(\.csv)?$/;

/**
 * The three ledgers (三账): JSON pages, or CSV for spreadsheets — UTF-8 with a BOM so Excel reads
 * Chinese, Chinese headers (`?lang=en` for English), RFC 4180 quoting, streamed row by row from a
 * read-only connection of its own (no whole-file buffering, and the projection keeps writing).
 */
@ApiTags('ledgers')
@ApiBearerAuth()
@Controller('ledgers')
export class LedgersController {
  constructor(private readonly readModel: ReadModelService) {}

  @Get(':name')
  @ApiParam({ name: 'name', enum: ['problems', 'responsibilities', 'rectifications', 'problems.csv', 'responsibilities.csv', 'rectifications.csv'] })
  @ApiOperation({ summary: 'A ledger: JSON {items, nextCursor}, or CSV with the .csv suffix or Accept: text/csv' })
  async ledger(
    @Param('name') name: string,
    @Query() query: LedgerQueryDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const match = NAME.exec(name);
    if (!match) throw new NotFoundException(`no ledger ${name}; ledgers are problems, responsibilities and rectifications`);
    const ledger = LEDGERS[match[1] as keyof typeof LEDGERS];
    await this.readModel.ensure(query.minPosition);
    const unitId = scopedUnitId(principal, query.unitId);
    const showReporter = canSeeConfidentialReporter(principal);
    const now = new Date().toISOString();
    const csv = !!match[2] || /\btext\/csv\b/.test(accept ?? '');
    const filter = unitId ? 'WHERE id IN (SELECT issue_id FROM issue_units WHERE unit_id = @unitId)' : '';
    if (csv) {
      await this.streamCsv(res, match[1], ledger, filter, { unitId }, query.lang ?? 'zh', showReporter, now);
      return undefined;
    }
    const limit = query.limit ?? 100;
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const where = [filter.replace(/^WHERE /, ''), after ? '(registered_at, id) > (@afterAt, @afterId)' : ''].filter(Boolean);
    const rows = this.readModel.db
      .prepare(`SELECT id, registered_at, state FROM issues ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY registered_at, id LIMIT @limit`)
      .all({ unitId, afterAt: after?.[0], afterId: after?.[1], limit: limit + 1 }) as { id: string; registered_at: string; state: string }[];
    const units = this.unitNames(this.readModel.db);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ledger.row(JSON.parse(r.state) as IssueState, units, now, showReporter)),
      nextCursor: rows.length > limit && last ? encodeCursor(last.registered_at, last.id) : null,
    };
  }

  private unitNames(db: Database.Database): Map<string, string> {
    return new Map((db.prepare('SELECT id, name FROM units').all() as { id: string; name: string }[]).map((u) => [u.id, u.name]));
  }

  private async streamCsv(
    res: Response,
    name: string,
    ledger: (typeof LEDGERS)[keyof typeof LEDGERS],
    filter: string,
    params: Record<string, unknown>,
    lang: 'zh' | 'en',
    showReporter: boolean,
    now: string,
  ): Promise<void> {
    const db = new Database(this.readModel.file, { readonly: true, fileMustExist: true });
    try {
      const units = this.unitNames(db);
      res.status(200);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${name}-ledger.csv"`);
      res.write('\uFEFF');
      const csv = stringify({ header: true, columns: ledger.columns.map((c) => ({ key: c.key, header: c[lang] })), cast: { boolean: (v) => (v ? 'true' : 'false') } });
      csv.pipe(res);
      for (const row of db.prepare(`SELECT state FROM issues ${filter} ORDER BY registered_at, id`).iterate(params) as IterableIterator<{ state: string }>) {
        if (!csv.write(ledger.row(JSON.parse(row.state) as IssueState, units, now, showReporter))) await once(csv, 'drain');
      }
      csv.end();
      await once(res, 'finish');
    } finally {
      db.close();
    }
  }
}
