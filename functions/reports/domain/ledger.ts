// The ledger 台账 as officials print it and open it in Excel: one row per project, Chinese headers, amounts in 万元 and
// areas in 亩 where they expect them, the light and the escalation rung in words. Pure: the columns, a row, and the
// CSV text (RFC 4180, UTF-8 with BOM so Excel reads the Chinese; a cell that would start a formula is neutralised).
// In English (`?lang=en`) the same columns and figures, with English headers and words, and a park's English name.
import { CATEGORY_LABELS, ESCALATION_LABELS, INDUSTRY_LABELS, inWords, STAGE_LABELS, TRACK_LABELS, type Light } from '#kernel/domain/codes.ts';
import { rungWords } from '#kernel/domain/rung-words.ts';
import { areaMu } from '#kernel/domain/values.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import type { Project } from '#projects/domain/project.ts';

/** The language of a ledger file: Chinese (the default, as officials file it) or English. */
export type LedgerLang = 'zh' | 'en';

export interface LedgerColumn {
  readonly key: string;
  readonly header: string;
  /** The header of an English file: the console's English words for the same column where it has one. */
  readonly headerEn: string;
  /** Excel column width in characters. */
  readonly width: number;
  /** The width in an English workbook where its header or words need more (else the header's length and a margin). */
  readonly widthEn?: number;
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
  { key: 'id', header: '项目编号', headerEn: 'Project ID', width: 22 },
  { key: 'name', header: '项目名称', headerEn: 'Project', width: 30 },
  { key: 'investor', header: '投资主体', headerEn: 'Investor', width: 26 },
  { key: 'park', header: '园区', headerEn: 'Park', width: 14 },
  { key: 'track', header: '条线', headerEn: 'Track', width: 10 },
  { key: 'industry', header: '产业', headerEn: 'Industry', width: 12 },
  { key: 'category', header: '项目类别', headerEn: 'Category', width: 10 },
  { key: 'investmentWan', header: '总投资（万元）', headerEn: 'Total investment (CNY 10k)', width: 14, numeric: true, numFmt: '#,##0.00' },
  { key: 'stage', header: '所处阶段', headerEn: 'Stage', width: 10 },
  { key: 'status', header: '状态', headerEn: 'Status', width: 10 },
  { key: 'light', header: '亮灯', headerEn: 'Light', width: 6 },
  { key: 'openTasks', header: '未办结事项', headerEn: 'Tasks not done', width: 10, numeric: true, numFmt: '#,##0' },
  { key: 'overdueTasks', header: '逾期事项', headerEn: 'Overdue tasks', width: 9, numeric: true, numFmt: '#,##0' },
  { key: 'nextDue', header: '最近到期', headerEn: 'Next due', width: 12, date: true },
  { key: 'escalation', header: '督办等级', headerEn: 'Escalation', width: 12, widthEn: 20 },
  { key: 'escalationDue', header: '督办下一步期限', headerEn: 'Escalation next step due', width: 14, date: true },
  { key: 'plannedCompletion', header: '计划竣工', headerEn: 'Planned completion', width: 12, date: true },
  { key: 'siteMu', header: '用地需求（亩）', headerEn: 'Site needed (mu)', width: 14, numeric: true, numFmt: '#,##0.00' },
  { key: 'createdOn', header: '登记日期', headerEn: 'Registered on', width: 12, date: true },
  { key: 'procedure', header: '流程异常', headerEn: 'Procedure trouble', width: 22, widthEn: 42 },
];

/**
 * What ops must do for the project's lifecycle (the `?workflow=failed` export: why each row is there) or its exit
 * procedure; empty while both run as they should.
 */
function procedureTrouble(p: Project, lang: LedgerLang): string | null {
  if (p.exit?.status === 'failed') return lang === 'en' ? 'Exit procedure failed: for ops to run again' : '退出程序失败：待运维重新执行';
  if (p.workflow?.status === 'failed') return lang === 'en' ? 'Lifecycle failed: for ops to resume' : '流程失败：待运维恢复';
  if (p.workflow?.status === 'start_failed') return lang === 'en' ? 'Lifecycle did not start: for ops to resume' : '流程启动失败：待运维恢复';
  return null;
}

export const STATUS_ZH: Record<string, string> = { PENDING_ADMISSION: '待准入', ACTIVE: '推进中', REJECTED: '未准入', EXITED: '已退出', COMPLETED: '已达产' };
export const LIGHT_ZH: Record<Light, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
// The English words are the console's (i18n.ts) for the same codes.
const STATUS_EN: Record<string, string> = { PENDING_ADMISSION: 'Pending admission', ACTIVE: 'Active', REJECTED: 'Rejected', EXITED: 'Exited', COMPLETED: 'Completed' };
const LIGHT_EN: Record<Light, string> = { green: 'Green', yellow: 'Yellow', red: 'Red' };

export type LedgerRow = Record<string, string | number | null>;

/** 万元 with two decimals (the contract's yuan are integers). */
export const wan = (cny: number): number => Math.round(cny / 100) / 100;

/**
 * A project's row. In English (`lang` en) the codes are in English words and the park in its English name when the
 * zone's parks configuration gives one (`parkEn`); names people typed (the project's, the investor's) stay as typed.
 */
export function ledgerRow(p: Project, lang: LedgerLang = 'zh', parkEn?: (park: string) => string | undefined): LedgerRow {
  const en = lang === 'en';
  return {
    id: p.id,
    name: p.name,
    investor: p.investor.name,
    park: en ? (parkEn?.(p.park) ?? p.park) : p.park,
    // In the words the console uses (codes.ts), one table for both.
    track: inWords(TRACK_LABELS, p.track, lang),
    industry: inWords(INDUSTRY_LABELS, p.industry, lang),
    category: inWords(CATEGORY_LABELS, p.category, lang),
    investmentWan: wan(p.totalInvestmentCny),
    stage: STAGE_LABELS[p.stage][lang],
    status: (en ? STATUS_EN : STATUS_ZH)[p.status] ?? p.status,
    // A light is the state of work under way: a project not (or no longer) on its stages shows none, as `?light=` lists none.
    light: p.status === 'ACTIVE' ? (en ? LIGHT_EN : LIGHT_ZH)[p.light] : null,
    openTasks: p.tasksSummary?.open ?? 0,
    overdueTasks: p.tasksSummary?.overdue ?? 0,
    nextDue: p.tasksSummary?.nextDue ?? null,
    // Off the ladder: a blank cell (null), not an empty text a workbook counts as filled.
    // The rung as the notices and the console word it (L2：约谈企业).
    escalation: p.escalation.level > 0 ? rungWords(p.escalation.level, inWords(ESCALATION_LABELS, p.escalation.name, lang), lang) : null,
    escalationDue: p.escalation.level > 0 ? (p.escalation.next?.dueDate ?? null) : null,
    plannedCompletion: p.plannedCompletion ?? null,
    siteMu: p.needs?.areaM2 ? areaMu(p.needs.areaM2) : null,
    // The day in Shanghai (the zone's day), not the UTC one: a project recorded before 08:00 was shown the day before.
    createdOn: shanghaiDate(new Date(p.createdAt)),
    procedure: procedureTrouble(p, lang),
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

/** A column's header in the file's language. */
export const headerIn = (c: LedgerColumn, lang: LedgerLang): string => (lang === 'en' ? c.headerEn : c.header);

/** A column's width in a workbook of the language (English headers are longer than their Chinese). */
export const widthIn = (c: LedgerColumn, lang: LedgerLang): number => (lang === 'en' ? (c.widthEn ?? Math.max(c.width, c.headerEn.length + 2)) : c.width);

/** The CSV file: BOM, the header row, a row per project (CRLF line ends, as Excel writes them). */
export function ledgerCsv(rows: readonly LedgerRow[], lang: LedgerLang = 'zh'): string {
  return `\uFEFF${csvLine(LEDGER_COLUMNS.map((c) => headerIn(c, lang)))}${rows.map((r) => csvLine(LEDGER_COLUMNS.map((c) => r[c.key] ?? null))).join('')}`;
}
