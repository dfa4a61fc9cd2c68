// GET /reports/departments — the supervision office's report per department 部门督办 (supervision office, committee
// leader): open and overdue tasks now, and in the period (default: this month so far; at most a year) the tasks
// completed with their average handling time in working days, the notices 通报提醒 and the items turned red. Every
// department of the responsibility matrix in force has its row, zero rows included, and so does any other department
// with open work or records in the period (one an earlier matrix version named). `?format=csv` or `Accept: text/csv`
// gives a CSV file.
// Reads, never a scan: the matrix in force (1 query), then per department that may be named (11) one query of the
// keys-only byDepartment index (its open tasks' due dates) and one range query of its records in the period — 23
// queries in parallel, each one page unless a department has over ~10,000 open tasks or ~4,000 records in the period.
// The park centers also have a row per park (`parks`): the zone's parks as configured (kept by a warm function) and one
// query per park of its center's open tasks (byLead `park_center#<park>`, due-date keys) beside those — a query per
// park, not a read of every project. An open task of the zone's park-center keys that no listed park's query holds (a
// park that left the list) is placed by its project's park (one BatchGet of those projects; normally none). A park's
// service center reads its own park's row only: its center's open tasks (1 query) and its own park's center's records
// in the period (1 query of its park's partition of byLead: no other park's record is read).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { answerType, offeredTypes } from '#kernel/http/negotiate.ts';
import { json, route } from '#kernel/http/route.ts';
import { ROLES } from '#kernel/domain/codes.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { openTaskDueKeys, parkCenterTaskDueKeys } from '#lifecycle/store/tasks.ts';
import { projectNamesAndParks } from '#projects/store/projects.ts';
import { parkNames } from '#reference/domain/parks.ts';
import { getConfig } from '#reference/store/reference.ts';
import { countOpen, departmentRows, matrixDepartments, parkCenterRows, projectOfDueKey, reportPeriod, reportScope, type DepartmentRow, type ParkCenterRow } from '../domain/department.ts';
import { departmentReportCsv } from '../present-report.ts';
import * as routes from '../routes.ts';
import { queryDepartmentFacts, queryParkCenterFacts } from '../store/departments.ts';

/** The roles a matrix may name as a lead or cooperating department (config validation refuses the others). */
const REPORTED_ROLES = ROLES.filter((r) => r !== 'enterprise' && r !== 'ops' && r !== 'discipline_office');

export const handler = route(routes.departmentReport, async (req) => {
  const today = shanghaiDate(clock.now());
  const period = reportPeriod(req.query, today);
  const { park } = reportScope(req.principal);
  if (park !== undefined) {
    const [dueKeys, facts] = await Promise.all([parkCenterTaskDueKeys(park), queryParkCenterFacts(park, period.from, period.to)]);
    const own = parkCenterRows({ listed: [park], open: new Map([[park, countOpen(dueKeys, today)]]), facts, period });
    return answer(req, { ...period, departments: own, parks: own });
  }
  const [inForce, perPark, read] = await Promise.all([
    getConfig('matrix').then((c) => new Set(matrixDepartments(c.doc))),
    getConfig('parks').then((c) => Promise.all(parkNames(c.doc).map(async (park) => ({ park, keys: await parkCenterTaskDueKeys(park) })))),
    // Every department that can lead or cooperate is read, not only those the matrix in force names: a project keeps
    // the matrix version it started with, so a department a newer version dropped may still have open or overdue work.
    Promise.all(
      REPORTED_ROLES.map(async (role) => {
        const [dueKeys, facts] = await Promise.all([openTaskDueKeys(role), queryDepartmentFacts(role, period.from, period.to)]);
        return { role, dueKeys, open: countOpen(dueKeys, today), facts };
      }),
    ),
  ]);
  // The matrix's departments always (zero rows included); another only with work open now or records in the period
  // (the facts read are the period's).
  const departments = read.filter((r) => inForce.has(r.role) || r.open.open > 0 || r.facts.length > 0).map((r) => r.role);
  const centers = read.find((r) => r.role === 'park_center')!;
  return answer(req, {
    ...period,
    departments: departmentRows({ departments, open: new Map(read.map((r) => [r.role, r.open])), facts: new Map(read.map((r) => [r.role, r.facts])), period }),
    parks: parkCenterRows({ listed: perPark.map((p) => p.park), open: await openByPark(perPark, centers.dueKeys, today), facts: centers.facts, period }),
  });
});

/**
 * Each park's center's open and overdue tasks now: the zone's park-center keys (byDepartment, as its row counts them)
 * placed by the listed parks' partitions, so the parks' rows add up to the zone's row; a key none of them holds (a park
 * no longer listed, or an index not caught up yet) by its project's park.
 */
async function openByPark(perPark: readonly { park: string; keys: readonly string[] }[], zoneKeys: readonly string[], today: string): Promise<Map<string, { open: number; overdue: number }>> {
  const parkOf = new Map<string, string>();
  for (const { park, keys } of perPark) for (const key of keys) parkOf.set(key, park);
  const unplaced = zoneKeys.filter((k) => !parkOf.has(k));
  const projects = await projectNamesAndParks(unplaced.map(projectOfDueKey));
  const keys = new Map<string, string[]>(perPark.map(({ park }) => [park, []]));
  for (const key of zoneKeys) {
    const park = parkOf.get(key) ?? projects.get(projectOfDueKey(key))?.park;
    // A task whose project is gone has no park to count it under (the zone's row still counts it).
    if (park === undefined) continue;
    const placed = keys.get(park);
    if (placed) placed.push(key);
    else keys.set(park, [key]);
  }
  return new Map([...keys].map(([park, k]) => [park, countOpen(k, today)]));
}

function answer(req: { readonly event: { readonly headers?: Record<string, string | undefined> }; readonly query: { readonly format?: 'json' | 'csv' } }, report: { from: string; to: string; departments: readonly DepartmentRow[]; parks: readonly ParkCenterRow[] }) {
  if (answerType(req.event.headers?.accept, req.query.format, offeredTypes(routes.departmentReport)) === 'text/csv') {
    return { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="departments-${report.from}-${report.to}.csv"` }, body: departmentReportCsv(report) };
  }
  return json(200, report);
}
