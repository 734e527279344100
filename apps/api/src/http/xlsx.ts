import ExcelJS from 'exceljs';
import type { Response } from 'express';
import { failDownload, watchClose } from './response-close';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Does an Accept header ask for a workbook? */
export const acceptsXlsx = (accept: string | undefined): boolean => (accept ?? '').toLowerCase().includes(XLSX);

export interface XlsxColumn {
  key: string;
  header: string;
  /** in characters; by default wide enough for the header */
  width?: number;
}

export interface XlsxSheet {
  /** the download's file name, `….xlsx` */
  filename: string;
  /** the worksheet's tab */
  sheetName: string;
  columns: XlsxColumn[];
  /** one record per row, by column key; pulled one at a time (and abandoned if the client goes away) */
  rows: Iterable<Record<string, unknown>>;
}

interface ZipStream {
  on(event: 'error', listener: (error: Error) => void): unknown;
  unpipe(destination: NodeJS.WritableStream): unknown;
  abort(): unknown;
}

/** Excel refuses a cell longer than this */
const MAX_CELL = 32_767;
/** rows, or characters of text, written between yields to the event loop, so bytes reach the socket while we read */
const BATCH_ROWS = 100;
const BATCH_CHARS = 65_536;
// characters XML 1.0 forbids that ExcelJS does not strip itself (it drops C0 controls): U+FFFE, U+FFFF, lone surrogates
const NOT_XML = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Strings, finite numbers and booleans keep their cell type; null and '' are an empty cell (as in CSV); anything else becomes text. */
function cell(value: unknown): string | number | boolean | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).replace(NOT_XML, '\uFFFD');
  return text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text;
}

/** East Asian characters take two columns */
const displayWidth = (s: string) =>
  [...s].reduce(
    (w, ch) =>
      w +
      (/[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(ch)
        ? 2
        : 1),
    0,
  );

/**
 * Streams one worksheet as an .xlsx download with ExcelJS's streaming writer: a bold, frozen, filterable
 * header row, then each row committed as it comes, so the file is never held whole — only a batch of rows
 * and the zip's buffers. Waits when the socket is full; stops pulling rows (and so releases whatever the
 * rows come from) as soon as the client goes away. An error after the first byte cannot become a
 * problem+json answer any more, so it cuts the connection: the zip has no central directory and no
 * spreadsheet opens it as complete.
 */
export async function streamXlsx(res: Response, sheet: XlsxSheet): Promise<void> {
  const client = watchClose(res);
  const rows = sheet.rows[Symbol.iterator]();
  // the first row before any byte: a source that fails to open still gets a problem+json answer
  let next = rows.next();
  let zipError: Error | undefined;

  res.status(200);
  res.setHeader('Content-Type', XLSX);
  res.setHeader('Content-Disposition', `attachment; filename="${sheet.filename}"`);
  res.setHeader('Cache-Control', 'no-store');
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: res, useStyles: true, useSharedStrings: false });
  // the writer's archiver (untyped in ExcelJS's d.ts): piped into res; aborted if we stop early
  const zip = (workbook as unknown as { zip: ZipStream }).zip;
  zip.on('error', (error: Error) => {
    zipError = error;
    res.destroy(error);
  });
  let done = false;
  try {
    const lastColumn = sheet.columns.length ? columnName(sheet.columns.length) : 'A';
    const ws = workbook.addWorksheet(sheet.sheetName.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.autoFilter = `A1:${lastColumn}1`;
    ws.columns = sheet.columns.map((c) => ({
      width: c.width ?? Math.min(40, Math.max(10, displayWidth(c.header) + 4)),
    }));
    const header = ws.addRow(sheet.columns.map((c) => c.header));
    header.font = { bold: true };
    header.commit();
    for (let n = 0, chars = 0; !next.done; next = rows.next()) {
      if (client.gone) return;
      const record = next.value;
      const values = sheet.columns.map((c) => cell(record[c.key]));
      ws.addRow(values).commit();
      for (const v of values) if (typeof v === 'string') chars += v.length;
      if (++n >= BATCH_ROWS || chars >= BATCH_CHARS) {
        n = chars = 0;
        await new Promise((resolve) => setImmediate(resolve));
        if (res.writableNeedDrain) await client.until(res, 'drain');
        if (client.gone) return;
      }
    }
    ws.commit();
    const committed = workbook.commit().then(
      () => undefined,
      (error: Error) => error,
    );
    const error = await Promise.race([committed, client.close.then(() => undefined)]);
    if (error || zipError) throw error ?? zipError;
    done = res.writableFinished;
  } catch (error) {
    failDownload(res, error);
  } finally {
    if (!next.done) rows.return?.();
    if (!done) {
      zip.unpipe(res);
      zip.abort();
    }
  }
}

/** 1 → A, 27 → AA */
function columnName(n: number): string {
  let name = '';
  for (; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}
