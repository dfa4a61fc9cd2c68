// The department report as a CSV file for Excel (UTF-8 with a BOM, zh-CN headings), beside its JSON.
import type { DepartmentRow } from './domain/department.ts';

const HEADINGS = ['部门代码', '部门', '在办', '逾期', '办结', '平均办理工作日', '通报提醒', '期间新增逾期'];

/** A cell as CSV: quoted when it holds a comma, quote or line break. */
const cell = (v: string | number | null) => {
  const text = v === null ? '' : String(v);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function departmentReportCsv(report: { from: string; to: string; departments: readonly DepartmentRow[] }): string {
  const rows = report.departments.map((d) => [d.department, d.name, d.open, d.overdue, d.completed, d.averageHandlingWd, d.notices, d.overdueInPeriod]);
  return `\uFEFF${[HEADINGS, ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
