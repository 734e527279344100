import ExcelJS from 'exceljs';
import type request from 'supertest';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Downloads a workbook and reads its one sheet back: the header row and the data rows, cell values by column. */
export async function fetchXlsx(req: request.Test, status = 200) {
  // the body as raw bytes
  const res = await req
    .buffer(true)
    .parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    })
    .expect(status);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(res.body as Parameters<typeof workbook.xlsx.load>[0]);
  expect(workbook.worksheets).toHaveLength(1);
  const sheet = workbook.worksheets[0];
  const width = sheet.getRow(1).cellCount;
  const values = (n: number) => Array.from({ length: width }, (_, k) => sheet.getRow(n).getCell(k + 1).value);
  return {
    res,
    sheet,
    header: values(1) as string[],
    rows: Array.from({ length: sheet.rowCount - 1 }, (_, i) => values(i + 2)),
  };
}
