// GET /reports/ledger.csv — the ledger 台账 as a CSV file Excel opens as it is (UTF-8 with BOM, Chinese headers, 万元 and
// 亩; English ones with ?lang=en): the caller's scope (a park center: its park) and the filters of GET /projects; 5,000
// rows a file, the next named by the Link header.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { route } from '#kernel/http/route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { ledgerCsv, ledgerRow, type LedgerLang, type LedgerRow } from '../domain/ledger.ts';
import { exportHeaders, parkNamesFor, readLedger, type ExportFile } from '../ledger-export.ts';
import * as routes from '../routes.ts';

/** The CSV of a ledger file: each page read becomes rows, finishing writes them (a few ms for 5,000 rows). */
export function ledgerCsvFile(lang: LedgerLang = 'zh', parkEn?: (park: string) => string | undefined): ExportFile<string> {
  const rows: LedgerRow[] = [];
  return {
    finishPerAdd: 1,
    add(projects) {
      for (const p of projects) rows.push(ledgerRow(p, lang, parkEn));
    },
    finish: async () => ledgerCsv(rows, lang),
  };
}

export const handler = route(routes.ledgerCsv, async (req) => {
  const { file: body, nextCursor } = await readLedger(req.principal, req.query, 'csv', ledgerCsvFile(req.query.lang, await parkNamesFor(req.query.lang)));
  const headers = exportHeaders({ contentType: 'text/csv; charset=utf-8', name: `ledger-${shanghaiDate(clock.now())}`, ext: 'csv', path: '/reports/ledger.csv', query: req.query, nextCursor });
  return { statusCode: 200, headers, body };
});
