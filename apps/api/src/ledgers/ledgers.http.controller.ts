import { Controller, Get, Headers, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { IssueState, Reporter } from '@duban/domain';
import { PersonalDataService } from '../personal-data/personal-data.service';
import { CurrentPrincipal } from '../auth/current-principal.decorator';
import type { Principal } from '../auth/principal';
import { EnumField, IntField, TextField, UuidField } from '../http/fields';
import { ReadModelService } from '../read-model/read-model.service';
import { scopedUnitId } from '../issues/issue-access';
import { decodeCursor, keysetPage } from '../http/cursor';
import { ApiBearer, ApiFormats, ApiProblems, arrayOf, FREE_OBJECT, nullable, object, TEXT } from '../http/openapi';
import { acceptsXlsx, streamXlsx, XLSX } from '../http/xlsx';
import { ledgerColumns, ledgerRows, streamCsv, UNIT_FILTER, unitNames } from './ledger-export';
import { ERASED_REPORTER, LEDGER_NAMES, LedgerName, LEDGERS, WITHHELD_REPORTER } from './ledgers';

export class LedgerQueryDto {
  @EnumField(['zh', 'en'], {
    required: false,
    description:
      'CSV/XLSX language of headers and coded cells (source, status, verdict, mode, yes/no …); default Chinese',
  })
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

const NAME = /^(problems|responsibilities|rectifications)(?:\.(csv|xlsx))?$/;

/**
 * The three ledgers (三账): JSON pages, or whole-ledger downloads for spreadsheets — CSV (UTF-8 with a
 * BOM so Excel reads Chinese, RFC 4180 quoting) or XLSX (typed cells, bold frozen header) — with
 * Chinese headers (`?lang=en` for English), streamed row by row from a read-only connection of its own
 * (no whole-file buffering, and the projection keeps writing).
 */
@ApiTags('ledgers')
@ApiBearer()
@Controller('ledgers')
export class LedgersController {
  constructor(
    private readonly readModel: ReadModelService,
    private readonly personalData: PersonalDataService,
  ) {}

  /** The reporter cells of the rows of `reporters` (their data keys unwrapped up front; confidential looks recorded). */
  private async reporterCells(reporters: Iterable<Reporter | null>, principal: Principal) {
    const show = await this.personalData.shower(reporters, principal, 'ledger');
    const cell = (s: IssueState): string | null => {
      const shown = show(s.id ?? '', s.reporter);
      if (!shown) return null;
      if ('name' in shown) return shown.name;
      return 'erased' in shown ? ERASED_REPORTER : WITHHELD_REPORTER;
    };
    return Object.assign(cell, { flush: show.flush });
  }

  @Get(':name')
  @ApiParam({ name: 'name', enum: LEDGER_NAMES.flatMap((n) => [n, `${n}.csv`, `${n}.xlsx`]) })
  @ApiOperation({
    summary: `A ledger: JSON {items, nextCursor}; CSV with the .csv suffix or Accept: text/csv; XLSX with the .xlsx suffix or Accept: ${XLSX}`,
  })
  @ApiFormats({ json: object({ items: arrayOf(FREE_OBJECT), nextCursor: nullable(TEXT) }), csv: true, xlsx: true })
  @ApiProblems(400, 403, 404, 503)
  async ledger(
    @Param('name') name: string,
    @Query() query: LedgerQueryDto,
    @Headers('accept') accept: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ) {
    const match = NAME.exec(name);
    if (!match)
      throw new NotFoundException(
        `no ledger ${name}; ledgers are problems, responsibilities and rectifications (JSON, .csv or .xlsx)`,
      );
    const ledger = LEDGERS[match[1] as LedgerName];
    await this.readModel.ensure(query.minPosition);
    const unitId = scopedUnitId(principal, query.unitId);
    const now = new Date().toISOString();
    const format = match[2] ?? (acceptsXlsx(accept) ? 'xlsx' : /\btext\/csv\b/.test(accept ?? '') ? 'csv' : 'json');
    if (format !== 'json') {
      const lang = query.lang ?? 'zh';
      const columns = ledgerColumns(ledger, lang);
      // the sealed reporters in scope, so the synchronous stream can reveal them
      const sealed = this.readModel.db
        .prepare(
          `SELECT json_extract(state, '$.reporter') FROM issues WHERE json_extract(state, '$.reporter.sealed') IS NOT NULL ${unitId ? `AND ${UNIT_FILTER}` : ''}`,
        )
        .pluck()
        .all({ unitId }) as string[];
      const reporterCell = await this.reporterCells(
        sealed.map((r) => JSON.parse(r) as Reporter),
        principal,
      );
      const rows = ledgerRows(this.readModel.file, ledger, { unitId, reporterCell, now, lang });
      const filename = `${match[1]}-ledger.${format}`;
      if (format === 'xlsx') await streamXlsx(res, { filename, sheetName: ledger.sheet[lang], columns, rows });
      else await streamCsv(res, filename, columns, rows);
      await reporterCell.flush();
      return undefined;
    }
    const limit = query.limit ?? 100;
    const after = query.cursor ? decodeCursor(query.cursor) : null;
    const where = [unitId ? UNIT_FILTER : '', after ? '(registered_at, id) > (@afterAt, @afterId)' : ''].filter(
      Boolean,
    );
    const rows = this.readModel.db
      .prepare(
        `SELECT id, registered_at, state FROM issues ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY registered_at, id LIMIT @limit`,
      )
      .all({ unitId, afterAt: after?.[0], afterId: after?.[1], limit: limit + 1 }) as {
      id: string;
      registered_at: string;
      state: string;
    }[];
    const units = unitNames(this.readModel.db);
    const { items: states, nextCursor } = keysetPage(
      rows,
      limit,
      (r) => JSON.parse(r.state) as IssueState,
      (r) => [r.registered_at, r.id],
    );
    const reporterCell = await this.reporterCells(
      states.map((s) => s.reporter),
      principal,
    );
    const items = states.map((s) => ledger.row(s, units, now, reporterCell));
    await reporterCell.flush();
    return { items, nextCursor };
  }
}
