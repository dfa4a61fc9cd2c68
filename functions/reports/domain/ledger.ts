// The ledger 台账 as officials print it and open it in Excel: one row per project, Chinese headers, amounts in 万元 and
// areas in 亩 where they expect them, the light and the escalation rung in words. Pure: the columns, a row, and the
// CSV text (RFC 4180, UTF-8 with BOM so Excel reads the Chinese; a cell that would start a formula is neutralised).
import { CATEGORY_LABELS, INDUSTRY_LABELS, inWords, STAGE_LABELS, TRACK_LABELS, type Light } from '#kernel/domain/codes.ts';
import { areaMu } from '#kernel/domain/values.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import type { Project } from '#projects/domain/project.ts';

export interface LedgerColumn {
  readonly key: string;
  readonly header: string;
  /** Excel column width in characters. */
  readonly width: number;
  readonly numeric?: true;
  /**
   * A numeric column's Excel format: `#,##0` for counts, `#,##0.00` for 万元 and 亩 (two decimals, as computed). Never
   * `0.##`: Excel shows a whole number in it with a dangling point ("120,000.").
   */
  readonly numFmt?: string;
  /** A day (YYYY-MM-DD in Shanghai): a date cell in the workbook, so Excel sorts, filters and counts days by it. */
  readonly date?: true;
}

export const LEDGER_COLUMNS: readonly LedgerColumn[] = [
  { key: 'id', header: '项目编号', width: 22 },
  { key: 'name', header: '项目名称', width: 30 },
  { key: 'investor', header: '投资主体', width: 26 },
  { key: 'park', header: '园区', width: 14 },
  { key: 'track', header: '条线', width: 10 },
  { key: 'industry', header: '产业', width: 12 },
  { key: 'category', header: '项目类别', width: 10 },
  { key: 'investmentWan', header: '总投资（万元）', width: 14, numeric: true, numFmt: '#,##0.00' },
  { key: 'stage', header: '所处阶段', width: 10 },
  { key: 'status', header: '状态', width: 10 },
  { key: 'light', header: '亮灯', width: 6 },
  { key: 'openTasks', header: '未办结事项', width: 10, numeric: true, numFmt: '#,##0' },
  { key: 'overdueTasks', header: '逾期事项', width: 9, numeric: true, numFmt: '#,##0' },
  { key: 'nextDue', header: '最近到期', width: 12, date: true },
  { key: 'escalation', header: '督办等级', width: 12 },
  { key: 'escalationDue', header: '督办下一步期限', width: 14, date: true },
  { key: 'plannedCompletion', header: '计划竣工', width: 12, date: true },
  { key: 'siteMu', header: '用地需求（亩）', width: 14, numeric: true, numFmt: '#,##0.00' },
  { key: 'createdOn', header: '录入日期', width: 12, date: true },
  { key: 'procedure', header: '流程异常', width: 22 },
];

/**
 * What ops must do for the project's lifecycle (the `?workflow=failed` export: why each row is there) or its exit
 * procedure; empty while both run as they should.
 */
function procedureTrouble(p: Project): string | null {
  if (p.exit?.status === 'failed') return '退出程序失败：待运维重新执行';
  if (p.workflow?.status === 'failed') return '流程失败：待运维恢复';
  if (p.workflow?.status === 'start_failed') return '流程启动失败：待运维恢复';
  return null;
}

export const STATUS_ZH: Record<string, string> = { PENDING_ADMISSION: '待准入', ACTIVE: '推进中', REJECTED: '未准入', EXITED: '已退出', COMPLETED: '已达产' };
export const LIGHT_ZH: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
const RUNG_ZH: Record<string, string> = { URGING_LETTER: 'L1 发函督促', INTERVIEW: 'L2 约谈企业', JOINT_ASSESSMENT: 'L3 联合研判', COMPLIANCE_CHECK: 'L4 履约核查', EXIT_PENDING: 'L5 退出程序' };

export type LedgerRow = Record<string, string | number | null>;

/** 万元 with two decimals (the contract's yuan are integers). */
export const wan = (cny: number): number => Math.round(cny / 100) / 100;

export function ledgerRow(p: Project): LedgerRow {
  return {
    id: p.id,
    name: p.name,
    investor: p.investor.name,
    park: p.park,
    // In the words the console uses (codes.ts), one table for both.
    track: inWords(TRACK_LABELS, p.track, 'zh'),
    industry: inWords(INDUSTRY_LABELS, p.industry, 'zh'),
    category: inWords(CATEGORY_LABELS, p.category, 'zh'),
    investmentWan: wan(p.totalInvestmentCny),
    stage: STAGE_LABELS[p.stage].zh,
    status: STATUS_ZH[p.status] ?? p.status,
    // A light is the state of work under way: a project not (or no longer) on its stages shows none, as `?light=` lists none.
    light: p.status === 'ACTIVE' ? LIGHT_ZH[p.light] : null,
    openTasks: p.tasksSummary?.open ?? 0,
    overdueTasks: p.tasksSummary?.overdue ?? 0,
    nextDue: p.tasksSummary?.nextDue ?? null,
    // Off the ladder: a blank cell (null), not an empty text a workbook counts as filled.
    escalation: p.escalation.level > 0 ? (RUNG_ZH[p.escalation.name] ?? p.escalation.name) : null,
    escalationDue: p.escalation.level > 0 ? (p.escalation.next?.dueDate ?? null) : null,
    plannedCompletion: p.plannedCompletion ?? null,
    siteMu: p.needs?.areaM2 ? areaMu(p.needs.areaM2) : null,
    // The day in Shanghai (the zone's day), not the UTC one: a project recorded before 08:00 was shown the day before.
    createdOn: shanghaiDate(new Date(p.createdAt)),
    procedure: procedureTrouble(p),
  };
}

/** One CSV cell: quoted when it must be; text that Excel would run as a formula (= + - @ tab CR) gets a leading '. */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export const csvLine = (cells: readonly (string | number | null)[]) => `${cells.map(csvCell).join(',')}\r\n`;

/** The CSV file: BOM, the header row, a row per project (CRLF line ends, as Excel writes them). */
export function ledgerCsv(rows: readonly LedgerRow[]): string {
  return `\uFEFF${csvLine(LEDGER_COLUMNS.map((c) => c.header))}${rows.map((r) => csvLine(LEDGER_COLUMNS.map((c) => r[c.key] ?? null))).join('')}`;
}
