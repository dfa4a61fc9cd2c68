// GET /reports/ledger.csv — the ledger 台账 as a CSV file Excel opens as it is (UTF-8 with BOM, Chinese headers, 万元 and
// 亩): the caller's scope (a park center: its park) and the filters of GET /projects; 5,000 rows a file, the next named
// by the Link header.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { route } from '#kernel/http/route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { ledgerCsv, ledgerRow } from '../domain/ledger.ts';
import { exportHeaders, readLedger } from '../ledger-export.ts';
import * as routes from '../routes.ts';

export const handler = route(routes.ledgerCsv, async (req) => {
  const { projects, nextCursor } = await readLedger(req.principal, req.query, 'csv');
  const headers = exportHeaders({ contentType: 'text/csv; charset=utf-8', name: `ledger-${shanghaiDate(clock.now())}`, ext: 'csv', path: '/reports/ledger.csv', query: req.query, nextCursor });
  return { statusCode: 200, headers, body: ledgerCsv(projects.map(ledgerRow)) };
});
