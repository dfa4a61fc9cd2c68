// GET /reports/parks — the park report 园区统计 (staff; a park center: its own park, 403 for another): per park, projects
// by status, stage, light and escalation rung, open and overdue tasks (due before today on the business clock), and the
// land, idle factories and utility capacity it has available; the totals. `?format=csv` or `Accept: text/csv` gives a
// CSV file for Excel. Reads keys, never project items: one park is one query of the keys-only tally index (its key
// range: its projects and open tasks) and three of its inventory (parcels, facilities, utilities by park); every park
// is the tally's whole partition and the available parcels, facilities and the utilities of the zone. Either way the
// zone's energy and environment quotas (two queries: a record a year, and a pollutant) for this year's figures.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { answerType, offeredTypes } from '#kernel/http/negotiate.ts';
import { attachment } from '#kernel/http/disposition.ts';
import { json, route } from '#kernel/http/route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { allResources, resourcesInPark, resourcesWithStatus } from '#inventory/store/resources.ts';
import { scopeLedger } from '#projects/domain/ledger-scope.ts';
import { getConfig } from '#reference/store/reference.ts';
import { parksReport, parksReportCsv } from '../domain/parks.ts';
import * as routes from '../routes.ts';
import { readTally } from '../store/tally.ts';

export const handler = route(routes.parksReport, async (req) => {
  const { park } = scopeLedger(req.principal, { park: req.query.park });
  const today = shanghaiDate(clock.now());
  // Read beside the tally: the zone's parks as configured (a park with nothing in it yet has its row of zeros) and the
  // inventory's refresh periods (what counts as 待核实), both kept by a warm function.
  const references = Promise.all([park === undefined ? getConfig('parks').then((c) => c.doc.parks.map((p) => p.name)) : undefined, getConfig('inventory').then((c) => c.doc)]);
  const [[parks, inventory], [tally, ...resources]] = await Promise.all([
    references,
    Promise.all(
      park === undefined
        ? [readTally(), resourcesWithStatus('parcels', 'available'), resourcesWithStatus('facilities', 'available'), allResources('utilities'), allResources('energy'), allResources('environment')]
        : [readTally(park), resourcesInPark('parcels', park), resourcesInPark('facilities', park), resourcesInPark('utilities', park), allResources('energy'), allResources('environment')],
    ),
  ]);
  const report = parksReport({ entries: tally.entries, resources: resources.flat(), today, park, parks, inventory });
  if (answerType(req.event.headers?.accept, req.query.format, offeredTypes(routes.parksReport)) === 'text/csv') {
    const name = `parks-${park === undefined ? 'zone' : 'park'}-${today}`;
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': attachment(`${name}.csv`, `园区统计-${park ?? '全区'}-${today}.csv`),
        'cache-control': 'no-store',
      },
      body: parksReportCsv(report),
    };
  }
  return json(200, report);
});
