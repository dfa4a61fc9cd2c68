// GET /reports/ledger.xlsx — the ledger 台账 as an Excel workbook (exceljs): one sheet 台账, the header row bold and
// frozen, column widths for Chinese text, amounts and areas as numbers, days as dates, each light cell filled in its colour. Scope,
// filters, paging and language (?lang=en: a sheet Ledger, English headers and words) as the CSV.
import ExcelJS from 'exceljs';
import { shanghaiDate, startOfDay } from '#kernel/domain/dates.ts';
import { route } from '#kernel/http/route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import type { Project } from '#projects/domain/project.ts';
import { headerIn, LEDGER_COLUMNS, ledgerRow, widthIn, type LedgerLang } from '../domain/ledger.ts';
import { exportHeaders, parkNamesFor, readLedger, type ExportFile } from '../ledger-export.ts';
import * as routes from '../routes.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** 红黄绿 as Excel fills (ARGB), by the light's code (its cell has the words of the file's language). */
const LIGHT_FILL: Record<string, string> = { green: 'FFC6EFCE', yellow: 'FFFFEB9C', red: 'FFFFC7CE' };

/**
 * A cell's text as XML 1.0 can carry it (a workbook is XML): what it cannot (controls but tab and line breaks, U+FFFE,
 * U+FFFF, an unpaired surrogate — stored before text was checked on the way in) is left out, so one record never
 * damages the zone's whole workbook. And `_xHHHH_` in the text is how a workbook escapes a character (Excel reads
 * `_x0041_` as A): the `_` that begins one is written `_x005F_`, as Excel does, so the text reads as written.
 */
export const xmlSafe = (v: unknown): unknown =>
  typeof v === 'string' ? v.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[^\t\n\r\x20-\uD7FF\uE000-\uFFFD]/g, (m) => (m.length === 2 ? m : '')).replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_') : v;

const DATE_KEYS: ReadonlySet<string> = new Set(LEDGER_COLUMNS.filter((c) => c.date).map((c) => c.key));

/**
 * A day (YYYY-MM-DD) as a date cell: midnight UTC of that day, which is how Excel's serial days count (a workbook
 * has no time zone), so the cell shows the day as written. Anything else stays as it is.
 */
export const excelDate = (v: unknown): unknown => {
  const m = typeof v === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(v) : null;
  return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : v;
};

/**
 * The workbook of a ledger file, made as its rows are read: each page read is added as rows, and finishing writes the
 * workbook. Writing took 2.5 to 9 times as long as adding the rows (5,000 rows on a busy 2-core machine: adding
 * 0.26–0.76 s, writing 1.9–3.4 s; the ratio swings with garbage collection): the estimate takes the most.
 */
export function ledgerWorkbook(lang: LedgerLang = 'zh', parkEn?: (park: string) => string | undefined): ExportFile<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'zoneflow';
  // Made and last modified the same instant, on the business clock (exceljs would date them by the machine's): the last
  // change of the projects in the file, or the business day's start when it has none — what the file holds, not when
  // it was written, so the same ledger is the same length and HEAD answers the GET's Content-Length (not the same bytes:
  // the zip exceljs writes dates each part by the machine's clock, in the same number of bytes).
  let lastChange = '';
  const sheet = book.addWorksheet(lang === 'en' ? 'Ledger' : '台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = LEDGER_COLUMNS.map((c) => ({ key: c.key, header: headerIn(c, lang), width: widthIn(c, lang), ...(c.numeric ? { style: { numFmt: c.numFmt ?? '#,##0.00' } } : c.date ? { style: { numFmt: 'yyyy-mm-dd' } } : {}) }));
  sheet.getRow(1).font = { bold: true };
  return {
    finishPerAdd: 9,
    add(projects) {
      for (const p of projects) {
        if (p.updatedAt > lastChange) lastChange = p.updatedAt;
        const cells = ledgerRow(p, lang, parkEn);
        const row = sheet.addRow(Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, DATE_KEYS.has(k) ? excelDate(v) : xmlSafe(v)])));
        // Filled where the row shows a light (a project under way).
        const fill = cells.light === null ? undefined : LIGHT_FILL[p.light];
        if (fill) row.getCell('light').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };
      }
    },
    async finish() {
      sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LEDGER_COLUMNS.length } };
      book.created = book.modified = lastChange ? new Date(lastChange) : startOfDay(shanghaiDate(clock.now()));
      return Buffer.from(await book.xlsx.writeBuffer());
    },
  };
}

/**
 * Rows a cold process makes a throwaway workbook of before it answers. The first rows a process adds run cold code
 * (exceljs and the row mapping not yet compiled): a cold start's first page was added at 0.45 ms a row against 0.07
 * warm, and the file's making, estimated from that adding, seemed too long for the request — its first file ended
 * after 500 of 4,000 rows that would have fitted. Made at load (Lambda's init, the local runtime's first import),
 * outside any request's time, the first file's pages are measured warm.
 */
const PRIMING_ROWS = 500;

/** A ledger entry of every kind of cell (text, 万元, 亩, a day, a light, a rung) to run the making's code on. */
const primingProject = (i: number): Project =>
  ({
    id: `prj-priming-${i}`,
    name: `预热${i}`,
    investor: { name: '预热企业', enterpriseId: 'ent-priming' },
    track: 'industrial',
    industry: 'other',
    park: '预热园区',
    category: 'standard',
    totalInvestmentCny: 100_000_000 + i,
    stage: 'SIGNING',
    status: 'ACTIVE',
    light: (['green', 'yellow', 'red'] as const)[i % 3],
    tasksSummary: { open: 1, overdue: i % 2, nextDue: '2026-01-05' },
    escalation: i % 2 ? { level: 1, name: 'URGING_LETTER', since: '2026-01-01', next: { dueDate: '2026-01-15' } } : { level: 0, name: 'NONE', since: null },
    needs: { areaM2: 66_667 },
    createdAt: '2026-01-01T00:00:00.000Z',
  }) as unknown as Project;

{
  const priming = ledgerWorkbook();
  priming.add(Array.from({ length: PRIMING_ROWS }, (_, i) => primingProject(i)));
  await priming.finish();
}

export const handler = route(routes.ledgerXlsx, async (req) => {
  const today = shanghaiDate(clock.now());
  const { file: buffer, nextCursor } = await readLedger(req.principal, req.query, 'xlsx', ledgerWorkbook(req.query.lang, await parkNamesFor(req.query.lang)));
  const headers = exportHeaders({ contentType: XLSX, name: `ledger-${today}`, ext: 'xlsx', path: '/reports/ledger.xlsx', query: req.query, nextCursor });
  return { statusCode: 200, headers, body: buffer.toString('base64'), isBase64Encoded: true };
});
