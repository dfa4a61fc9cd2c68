// The Excel ledger's document properties are dated on the business clock: on a runtime started at another instant or
// running fast, Excel's 创建时间 and 修改时间 tell the same moment, never a file "modified" before it was made.
import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { isolatedStore } from '../support/env.ts';

isolatedStore('workbook-clock');
Object.assign(process.env, { ZONEFLOW_CLOCK_START: '2027-01-22T01:00:00Z', ZONEFLOW_TIME_SCALE: '1' });
const { ledgerWorkbook } = await import('../../functions/reports/http/ledger-xlsx.ts');

it('dates the workbook made and last modified on the business clock, the same instant', async () => {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await ledgerWorkbook().finish()) as never);

  expect(book.created.toISOString()).toMatch(/^2027-01-22T01:00:0\d/);
  expect(book.modified.toISOString()).toBe(book.created.toISOString());
});
