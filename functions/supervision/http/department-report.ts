// GET /reports/departments — the supervision office's report per department 部门督办 (supervision office, committee
// leader): open and overdue tasks now, and in the period (default: this month so far; at most a year) the tasks
// completed with their average handling time in working days, the notices 通报提醒 and the items turned red. Every
// department of the responsibility matrix has its row, zero rows included. `Accept: text/csv` gives a CSV file.
// Reads, never a scan: the matrix in force (1 query), then per department (9 in the default matrix) one query of the
// keys-only byDepartment index (its open tasks' due dates) and one range query of its records in the period — 19
// queries in parallel, each one page unless a department has over ~10,000 open tasks or ~4,000 records in the period.
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { negotiate } from '#kernel/http/negotiate.ts';
import { json, route } from '#kernel/http/route.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { openTaskDueKeys } from '#lifecycle/store/tasks.ts';
import { getConfig } from '#reference/store/reference.ts';
import { countOpen, departmentRows, matrixDepartments, reportPeriod } from '../domain/department.ts';
import { departmentReportCsv } from '../present-report.ts';
import * as routes from '../routes.ts';
import { queryDepartmentFacts } from '../store/departments.ts';

export const handler = route(routes.departmentReport, async (req) => {
  const today = shanghaiDate(clock.now());
  const period = reportPeriod(req.query, today);
  const departments = matrixDepartments((await getConfig('matrix')).doc);
  const read = await Promise.all(
    departments.map(async (role) => {
      const [dueKeys, facts] = await Promise.all([openTaskDueKeys(role), queryDepartmentFacts(role, period.from, period.to)]);
      return { role, open: countOpen(dueKeys, today), facts };
    }),
  );
  const report = {
    ...period,
    departments: departmentRows({ departments, open: new Map(read.map((r) => [r.role, r.open])), facts: new Map(read.map((r) => [r.role, r.facts])), period }),
  };
  if (negotiate(req.event.headers?.accept, ['application/json', 'text/csv']) === 'text/csv') {
    return { statusCode: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="departments-${period.from}-${period.to}.csv"` }, body: departmentReportCsv(report) };
  }
  return json(200, report);
});
