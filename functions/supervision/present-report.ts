// The department report as a CSV file for Excel (UTF-8 with a BOM, zh-CN headings), beside its JSON.
import { csvLine } from '#reports/domain/ledger.ts';
import type { DepartmentRow, ParkCenterRow } from './domain/department.ts';

const HEADINGS = ['部门代码', '部门', '在办', '逾期', '办结', '平均办理工作日', '通报提醒', '期间新增逾期', '园区'];

/**
 * The departments' rows (the park centers of every park as one), then each park's center (园区: its park); a park
 * center's own report is its one row.
 */
export function departmentReportCsv(report: { from: string; to: string; departments: readonly DepartmentRow[]; parks: readonly ParkCenterRow[] }): string {
  const shown = new Set<DepartmentRow>(report.departments);
  const rows = [...report.departments, ...report.parks.filter((p) => !shown.has(p))].map((d) => [d.department, d.name, d.open, d.overdue, d.completed, d.averageHandlingWd, d.notices, d.overdueInPeriod, 'park' in d ? (d as ParkCenterRow).park : null]);
  // The ledger's cells: a park's name (ops type it in config/parks) that Excel would run as a formula is neutralised.
  return `\uFEFF${[HEADINGS, ...rows].map(csvLine).join('')}`;
}
