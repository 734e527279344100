import Database from 'better-sqlite3';
import { stringify } from 'csv-stringify';
import type { Response } from 'express';
import type { IssueState } from '@duban/domain';
import { csvCell } from '../http/csv-cell';
import { failDownload, watchClose } from '../http/response-close';
import type { XlsxColumn } from '../http/xlsx';
import { labelledRow, type LedgerDefinition, type LedgerLanguage } from './ledgers';

/** Issues a unit leads or co-handles: the scope of a unit officer's ledgers. */
export const UNIT_FILTER = 'id IN (SELECT issue_id FROM issue_units WHERE unit_id = @unitId)';

export function unitNames(db: Database.Database): Map<string, string> {
  return new Map(
    (db.prepare('SELECT id, name FROM units').all() as { id: string; name: string }[]).map((u) => [u.id, u.name]),
  );
}

/**
 * Every row of a ledger in one language (CSV and XLSX), in registration order, from a read-only connection of its own (the projection
 * keeps writing meanwhile). The connection opens on the first row pulled and closes when the iteration
 * ends, fails or is abandoned (`for … of` calling `return()` on a client that went away).
 */
export function* ledgerRows(
  file: string,
  ledger: LedgerDefinition,
  o: { unitId?: string; reporterCell: (state: IssueState) => string | null; now: string; lang: LedgerLanguage },
): Generator<Record<string, unknown>> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const units = unitNames(db);
    const rows = db
      .prepare(`SELECT state FROM issues ${o.unitId ? `WHERE ${UNIT_FILTER}` : ''} ORDER BY registered_at, id`)
      .iterate({ unitId: o.unitId });
    for (const row of rows as IterableIterator<{ state: string }>)
      yield labelledRow(ledger, ledger.row(JSON.parse(row.state) as IssueState, units, o.now, o.reporterCell), o.lang);
  } finally {
    db.close();
  }
}

/** The ledger columns with their headers in one language. */
export const ledgerColumns = (ledger: LedgerDefinition, lang: LedgerLanguage): XlsxColumn[] =>
  ledger.columns.map((c) => ({ key: c.key, header: c[lang], width: c.width }));

/**
 * CSV for spreadsheets: UTF-8 with a BOM so Excel reads Chinese, RFC 4180 quoting, text that would start a
 * formula neutralised (csvCell), written with backpressure; stops pulling rows when the client goes away.
 */
export async function streamCsv(
  res: Response,
  filename: string,
  columns: XlsxColumn[],
  rows: Iterable<Record<string, unknown>>,
): Promise<void> {
  const client = watchClose(res);
  const source = rows[Symbol.iterator]();
  // the first row before any byte: a source that fails to open still gets a problem+json answer
  let next = source.next();
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
  const csv = stringify({
    header: true,
    columns: columns.map((c) => ({ key: c.key, header: c.header })),
    cast: { boolean: (v) => (v ? 'true' : 'false'), string: (v) => csvCell(v) as string },
  });
  try {
    res.write('\uFEFF');
    csv.pipe(res);
    for (; !next.done; next = source.next()) {
      if (client.gone) return;
      if (!csv.write(next.value)) await client.until(csv, 'drain');
    }
    csv.end();
    await client.until(res, 'finish');
  } catch (error) {
    failDownload(res, error);
  } finally {
    if (!next.done) source.return?.();
    if (!res.writableFinished) csv.unpipe(res).destroy();
  }
}
