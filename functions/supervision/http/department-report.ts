// GET /reports/departments — the supervision office's report per department 部门督办 (supervision office, committee
// leader): open and overdue tasks now, and in the period (default: this month so far; at most a year) the tasks
// completed with their average handling time in working days, the notices 通报提醒 and the items turned red. Every
// department of the responsibility matrix in force has its row, zero rows included, and so does any other department
// with open work or records in the period (one an earlier matrix version named). `?format=csv` or `Accept: text/csv`
// gives a CSV file.
// Reads, never a scan: the matrix in force (1 query), then per department that may be named (11) one query of the
// keys-only byDepartment index (its open tasks' due dates) and one range query of its records in the period — 23
// queries in parallel, each one page unless a department has over ~10,000 open tasks or ~4,000 records in the period.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { answerType, offeredTypes } from '#kernel/http/negotiate.ts';
import { json, route } from '#kernel/http/route.ts';
import { ROLES } from '#kernel/domain/codes.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { openTaskDueKeys } from '#lifecycle/store/tasks.ts';
import { getConfig } from '#reference/store/reference.ts';
import { countOpen, departmentRows, matrixDepartments, reportPeriod } from '../domain/department.ts';
import { departmentReportCsv } from '../present-report.ts';
import * as routes from '../routes.ts';
import { queryDepartmentFacts } from '../store/departments.ts';

/** The roles a matrix may name as a lead or cooperating department (config validation refuses the others). */
const REPORTED_ROLES = ROLES.filter((r) => r !== 'enterprise' && r !== 'ops' && r !== 'discipline_office');

export const handler = route(routes.departmentReport, async (req) => {
  const today = shanghaiDate(clock.now());
  const period = reportPeriod(req.query, today);
  const inForce = new Set(matrixDepartments((await getConfig('matrix')).doc));
  // Every department that can lead or cooperate is read, not only those the matrix in force names: a project keeps the
  // matrix version it started with, so a department a newer version dropped may still have open or overdue work.
  const read = await Promise.all(
    REPORTED_ROLES.map(async (role) => {
      const [dueKeys, facts] = await Promise.all([openTaskDueKeys(role), queryDepartmentFacts(role, period.from, period.to)]);
      return { role, open: countOpen(dueKeys, today), facts };
    }),
  );
  // The matrix's departments always (zero rows included); another only with work open now or records in the period
  // (the facts read are the period's).
  const departments = read.filter((r) => inForce.has(r.role) || r.open.open > 0 || r.facts.length > 0).map((r) => r.role);
  const report = {
    ...period,
    departments: departmentRows({ departments, open: new Map(read.map((r) => [r.role, r.open])), facts: new Map(read.map((r) => [r.role, r.facts])), period }),
  };
  if (answerType(req.event.headers?.accept, req.query.format, offeredTypes(routes.departmentReport)) === 'text/csv') {
    return { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="departments-${period.from}-${period.to}.csv"` }, body: departmentReportCsv(report) };
  }
  return json(200, report);
});
