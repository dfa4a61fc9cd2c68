// The reports module's routes: the ledger 台账 as files officials open in Excel, and the park report 园区统计. One
// declaration each, read by route(), the catalog, OpenAPI, CDK, the local server and the bench.
import { STAFF_ROLES } from '#kernel/domain/codes.ts';
import { declareRoute } from '#kernel/declarations.ts';
import * as S from './schemas.ts';

export const ledgerCsv = /* @__PURE__ */ declareRoute({
  name: 'ledger-csv',
  entry: 'reports/http/ledger-csv.ts',
  description: 'The ledger 台账 as CSV (UTF-8 with BOM, Chinese headers; English with ?lang=en), with the filters of GET /projects; paged by Link',
  method: 'GET',
  path: '/reports/ledger.csv',
  summary: 'Ledger as CSV',
  auth: STAFF_ROLES,
  query: S.ExportQuery,
  response: undefined,
  produces: 'text/csv',
  responseHeaders: { link: 'rel="next": the next file of a ledger longer than one', 'x-next-cursor': 'The cursor of the next file, when there is one' },
  tables: { projects: 'R', ledger: 'R', reference: 'R' },
});

export const ledgerXlsx = /* @__PURE__ */ declareRoute({
  name: 'ledger-xlsx',
  entry: 'reports/http/ledger-xlsx.ts',
  description: 'The ledger 台账 as an Excel workbook (header frozen, column widths, lights coloured; English with ?lang=en); paged by Link',
  method: 'GET',
  path: '/reports/ledger.xlsx',
  summary: 'Ledger as an Excel workbook',
  auth: STAFF_ROLES,
  query: S.ExportQuery,
  response: undefined,
  produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  responseHeaders: { link: 'rel="next": the next file of a ledger longer than one', 'x-next-cursor': 'The cursor of the next file, when there is one' },
  // One file of 5,000 projects peaks at ~400 MB RSS (bench memory section): 1,024 MB keeps the margin and gives the
  // workbook's CPU-bound build twice the 512 MB share, within the route's 10 s (docs/deploy.md "Function memory").
  memoryMb: 1024,
  tables: { projects: 'R', ledger: 'R', reference: 'R' },
});

export const parksReport = /* @__PURE__ */ declareRoute({
  name: 'parks-report',
  entry: 'reports/http/parks-report.ts',
  description:
    'Per park 园区统计: projects by status, stage, light and rung; open and overdue tasks; land, factories and utilities ' +
    "available; the totals; the zone's quotas this year. A park center sees its own park. CSV: ?format=csv or Accept: text/csv",
  method: 'GET',
  path: '/reports/parks',
  summary: 'Park report',
  auth: STAFF_ROLES,
  query: S.ParksReportQuery,
  response: ZONEFLOW_DOCS ? S.parksReport : undefined,
  alsoProduces: ['text/csv'],
  // reference R: the zone's parks (a park with nothing in it yet has its row).
  tables: { projects: 'R', inventory: 'R', reference: 'R' },
});

export const ROUTES = [ledgerCsv, ledgerXlsx, parksReport];
