// Department supervision 部门督办: an overdue task already reminds its lead department (the review's `task.overdue`);
// a department with at least K items turned red within the last W working days (`config/escalation`
// `departmentNoticeThreshold`, `departmentNoticeWindowWd`) goes on the supervision office's notice list 通报提醒 —
// once per crossing: it stays listed for W working days, so each overdue item counts toward one notice at most. And
// the report per department (`GET /reports/departments`): open and overdue tasks now, tasks completed in a period with
// their average handling time in working days, notices and items turned red in the period. Pure: the stores write the
// facts (supervision/store/departments.ts), supervision/departments.ts commits a notice.
import { ROLE_LABELS, ROLES, TRACK_DEPARTMENT, type Role } from '#kernel/domain/codes.ts';
import { addCalendarDays, addYears } from '#kernel/domain/dates.ts';
import { Forbidden, ValidationFailed } from '#kernel/domain/errors.ts';
import { hasRole, tokenNamesNoPark, type Principal } from '#kernel/domain/principal.ts';
import { typedZh } from '#kernel/domain/typed.ts';
import type { Task } from '#lifecycle/domain/task.ts';
import { roleInbox } from '#notifications/domain/inbox.ts';
import type { Notice } from '#notifications/domain/notices.ts';
import { addWorkingDays, workdayInfo, workingDaysBetween, type CalendarLookup } from '#reference/domain/calendar.ts';
import type { EscalationConfig, Matrix } from '#reference/domain/config.ts';

/**
 * A supervised department: the lead role of a task — a park's service center per park (园区事业服务中心, one per
 * park), so a park center is noticed for its own park's items and told in its own inbox.
 */
export interface Department {
  readonly role: Role;
  readonly park: string | null;
}

/** The department that answers for a task; none for the enterprise's own work (the escalation ladder's business). */
export function departmentOf(task: Pick<Task, 'lead' | 'park'>): Department | null {
  if (task.lead === 'enterprise') return null;
  return { role: task.lead, park: task.lead === 'park_center' ? task.park : null };
}

/** A department as one string: the role, or `park_center#<park>`. */
export const departmentKey = (d: Department): string => (d.park === null ? d.role : `${d.role}#${d.park}`);

/** A department's name: the role's, a park center with its park. */
export const departmentLabel = (d: Department) => ({
  zh: d.park === null ? ROLE_LABELS[d.role].zh : `${d.park}${ROLE_LABELS[d.role].zh}`,
  en: d.park === null ? ROLE_LABELS[d.role].en : `${ROLE_LABELS[d.role].en} (${d.park})`,
});

/** An item of a department found overdue (turned red) on `date`: recorded with the task's red light, once. */
export interface OverdueFact {
  readonly kind: 'overdue';
  readonly role: Role;
  readonly park: string | null;
  readonly date: string;
  readonly projectId: string;
  readonly projectName: string;
  readonly taskId: string;
  readonly task: string;
  readonly dueDate: string | null;
}

/** A task its department completed on `date`, `handlingWd` working days after it started. */
export interface CompletionFact {
  readonly kind: 'completed';
  readonly role: Role;
  readonly park: string | null;
  readonly date: string;
  readonly projectId: string;
  readonly taskId: string;
  readonly task: string;
  readonly startedDate: string;
  readonly handlingWd: number;
}

/** The notice record 通报提醒: the department, the day, the window and the overdue items counted. */
export interface NoticeRecord {
  readonly kind: 'notice';
  readonly role: Role;
  readonly park: string | null;
  readonly date: string;
  /** The window: its first and last day (the W working days up to `date`). */
  readonly windowFrom: string;
  readonly windowTo: string;
  readonly windowWd: number;
  readonly threshold: number;
  readonly items: readonly { readonly projectId: string; readonly projectName: string; readonly taskId: string; readonly task: string; readonly date: string }[];
  /** On the notice list through this day: no further notice before it has passed. */
  readonly listedUntil: string;
}

export type DepartmentFact = OverdueFact | CompletionFact | NoticeRecord;

/** What the notice rule reads of `config/escalation`. */
export type NoticeConfig = Pick<EscalationConfig, 'departmentNoticeThreshold' | 'departmentNoticeWindowWd'>;

/** The overdue fact of a task that turned red today, or null for the enterprise's own work. */
export function overdueFact(task: Task, project: { readonly id: string; readonly name: string }, today: string): OverdueFact | null {
  const d = departmentOf(task);
  if (!d) return null;
  return { kind: 'overdue', ...d, date: today, projectId: project.id, projectName: project.name, taskId: task.id, task: task.name.zh, dueDate: task.dueDate };
}

/** A red task's overdue record to withdraw: its department, and the day it was due (its fact is dated after it). */
export interface OverdueWithdrawal {
  readonly role: Role;
  readonly projectId: string;
  readonly taskId: string;
  readonly dueDate: string;
}

/** The overdue record of a red task `was` (as it stood red) to withdraw; null for the enterprise's own work (no fact). */
export function overdueWithdrawal(was: Task): OverdueWithdrawal | null {
  const d = departmentOf(was);
  return d && was.dueDate ? { role: d.role, projectId: was.projectId, taskId: was.id, dueDate: was.dueDate } : null;
}

/**
 * The completion fact of a task its department completed today: handled from its start to today in working days (the
 * start day not counted, as every period here). Null for the enterprise's work and for a task never started.
 */
export function completionFact(task: Task, today: string, calendar: CalendarLookup): CompletionFact | null {
  const d = departmentOf(task);
  if (!d || task.startedDate === null) return null;
  return { kind: 'completed', ...d, date: today, projectId: task.projectId, taskId: task.id, task: task.name.zh, startedDate: task.startedDate, handlingWd: workingDaysBetween(task.startedDate, today, calendar) };
}

/**
 * The notice window ending `today`: the last `windowWd` working days, today included — the days after `after`
 * (`windowWd` working days before today). `from` is its first day. On a rest day (a task due on Friday turns red on
 * Saturday, and is counted then) the window's working days all come before today: one more is reached back for, or
 * the window would hold one working day fewer than the notice says (近 20 个工作日 counted 19).
 */
export function noticeWindow(today: string, windowWd: number, calendar: CalendarLookup): { after: string; from: string; to: string } {
  const back = workdayInfo(today, calendar).workday ? windowWd : windowWd + 1;
  const after = addWorkingDays(today, -back, calendar).date;
  return { after, from: addCalendarDays(after, 1), to: today };
}

/**
 * Whether `department` goes on the notice list today: at least `departmentNoticeThreshold` of its items turned red in
 * the window, and it is not listed already (`listedUntil`, from its last notice, has passed). `facts`: what its role's
 * records hold from the window's start on (other parks' centers, completions and notices are passed over). A notice
 * lists the department for `windowWd` working days: each overdue item counts toward one notice at most, and another
 * item turning red the same day (or the next) does not notice it again.
 */
export function decideNotice(args: {
  department: Department;
  today: string;
  facts: readonly DepartmentFact[];
  listedUntil: string | null;
  cfg: NoticeConfig;
  calendar: CalendarLookup;
}): NoticeRecord | null {
  const { department, today, cfg, calendar } = args;
  if (args.listedUntil !== null && today <= args.listedUntil) return null;
  const window = noticeWindow(today, cfg.departmentNoticeWindowWd, calendar);
  const key = departmentKey(department);
  const items = new Map<string, OverdueFact>();
  for (const f of args.facts) {
    if (f.kind !== 'overdue' || departmentKey(f) !== key || f.date <= window.after || f.date > today) continue;
    // One item once, even if it turned red twice in the window (reopened at its gate): the first time counts.
    const id = `${f.projectId}#${f.taskId}`;
    const seen = items.get(id);
    if (!seen || f.date < seen.date) items.set(id, f);
  }
  if (items.size < cfg.departmentNoticeThreshold) return null;
  return {
    kind: 'notice',
    ...department,
    date: today,
    windowFrom: window.from,
    windowTo: window.to,
    windowWd: cfg.departmentNoticeWindowWd,
    threshold: cfg.departmentNoticeThreshold,
    items: [...items.values()]
      .sort((a, b) => a.date.localeCompare(b.date) || a.projectId.localeCompare(b.projectId) || a.taskId.localeCompare(b.taskId))
      .map((f) => ({ projectId: f.projectId, projectName: f.projectName, taskId: f.taskId, task: f.task, date: f.date })),
    listedUntil: addWorkingDays(today, cfg.departmentNoticeWindowWd, calendar).date,
  };
}

/** Who a notice tells: the supervision office (its notice list) and the department itself (a park center in its park). */
export function noticeNotices(n: NoticeRecord): Notice[] {
  const inboxOf = (role: Role, park: string | null) => roleInbox(role, { park: park ?? '', investor: { enterpriseId: '' } });
  const body = { department: departmentLabel(n), count: n.items.length, windowFrom: n.windowFrom, windowTo: n.windowTo, windowWd: n.windowWd, items: n.items.map((i) => `${i.projectName}·${i.task}`), itemsZh: n.items.map((i) => `${i.projectName}·${typedZh(i.task)}`) };
  return [
    { kind: 'department.notice', inbox: inboxOf('supervision_office', null), ...body },
    { kind: 'department.notice', inbox: inboxOf(n.role, n.park), ...body },
  ];
}

/** The report's period: `from`–`to` inclusive, by default the current month so far; at most one year (400 naming the field). */
export function reportPeriod(query: { readonly from?: string; readonly to?: string }, today: string): { from: string; to: string } {
  const to = query.to ?? today;
  // Without `from`, the month of `to` so far: never after `to`.
  const from = query.from ?? `${to.slice(0, 8)}01`;
  const last = lastDayOfYearFrom(from);
  // The first rule broken, named on the field it concerns. A period may run past today (this year: 1 January to 31
  // December) but not begin after it: it would have no records and show today's open and overdue figures under dates
  // to come — named on `from`, or on `to` when `from` came of it.
  const broken = [
    from > to && { path: 'query.from', message: `must be on or before ${to}` },
    from > today && { path: query.from ? 'query.from' : 'query.to', message: `the period must begin on or before today (${today}): it begins ${from}` },
    to > last && { path: query.to ? 'query.to' : 'query.from', message: `the period is at most one year: ${from} to ${last} at the latest` },
  ].find((e) => e !== false);
  if (broken) throw new ValidationFailed(`The report's period is not valid: ${broken.message}`, [{ ...broken, code: 'out_of_range' }]);
  return { from, to };
}

/** The last day of the year that begins on `from` (2026-03-15 → 2027-03-14; 2024-02-29 → 2025-02-28). */
function lastDayOfYearFrom(from: string): string {
  // 29 February has no anniversary: the year ends on the 28th.
  return from.slice(5) === '02-29' ? addYears(from, 1) : addCalendarDays(addYears(from, 1), -1);
}

/** The departments of the responsibility matrix (leading or cooperating; a track department for each track), in role order. */
export function matrixDepartments(matrix: Matrix): Role[] {
  const named = new Set(matrix.tasks.flatMap((t) => [t.lead, ...t.cooperating]).flatMap((d) => (d === 'track_dept' ? Object.values(TRACK_DEPARTMENT) : [d])));
  return ROLES.filter((r) => r !== 'enterprise' && named.has(r));
}

export interface DepartmentRow {
  readonly department: Role;
  readonly name: string;
  /** Open tasks now (started, timed, not done). */
  readonly open: number;
  /** Of those, overdue now (red: past their due date). */
  readonly overdue: number;
  /** Tasks completed in the period. */
  readonly completed: number;
  /** Their average handling time in working days (one decimal), or null when none was completed. */
  readonly averageHandlingWd: number | null;
  /** Notices 通报提醒 in the period (a park center: of every park). */
  readonly notices: number;
  /** Items (tasks, each once) that turned red in the period. */
  readonly overdueInPeriod: number;
}

/** Open and overdue tasks from the due-date keys of a department's open tasks (`<dueDate>#…`): overdue once past due. */
export function countOpen(dueKeys: readonly string[], today: string): { open: number; overdue: number } {
  return { open: dueKeys.length, overdue: dueKeys.filter((k) => k.slice(0, 10) < today).length };
}

/** One row per department, zero rows included, from its open tasks now and its records in the period. */
export function departmentRows(args: {
  departments: readonly Role[];
  open: ReadonlyMap<Role, { open: number; overdue: number }>;
  facts: ReadonlyMap<Role, readonly DepartmentFact[]>;
  period: { from: string; to: string };
}): DepartmentRow[] {
  return args.departments.map((department) => ({
    department,
    name: ROLE_LABELS[department].zh,
    ...figures(args.open.get(department), args.facts.get(department) ?? [], args.period),
  }));
}

/** A row's figures: its open tasks now, and of its records those dated in the period. */
function figures(now: { open: number; overdue: number } | undefined, facts: readonly DepartmentFact[], period: { from: string; to: string }): Omit<DepartmentRow, 'department' | 'name'> {
  const inPeriod = facts.filter((f) => f.date >= period.from && f.date <= period.to);
  const completed = inPeriod.filter((f): f is CompletionFact => f.kind === 'completed');
  const total = completed.reduce((sum, f) => sum + f.handlingWd, 0);
  return {
    open: now?.open ?? 0,
    overdue: now?.overdue ?? 0,
    completed: completed.length,
    averageHandlingWd: completed.length ? Math.round((total / completed.length) * 10) / 10 : null,
    notices: inPeriod.filter((f) => f.kind === 'notice').length,
    // Each task once, as the notice list counts them: a task red again (a calendar correction moved its due date and
    // it passed again; reopened at its gate) is one overdue item, not two.
    overdueInPeriod: new Set(inPeriod.filter((f) => f.kind === 'overdue').map((f) => `${(f as OverdueFact).projectId}#${(f as OverdueFact).taskId}`)).size,
  };
}

/** A park's service center 园区事业服务中心 as a row of its own: the department's figures for one park. */
export interface ParkCenterRow extends DepartmentRow {
  readonly department: 'park_center';
  readonly park: string;
}

/**
 * Whose report a caller reads: the supervision office and the committee leader every department's (`park` undefined);
 * a park's service center its own park's center only — its token's park (403 when it names none).
 */
export function reportScope(p: Principal): { park?: string } {
  if (hasRole(p, 'supervision_office', 'committee_leader')) return {};
  if (!p.park) throw new Forbidden(tokenNamesNoPark("a park center reads its own park's report"));
  return { park: p.park };
}

/** The project of an open task's due-date key (`<dueDate>#<projectId>#<taskId>`, `~` for no due date). */
export const projectOfDueKey = (key: string): string => key.split('#')[1] ?? '';

/**
 * The park centers' rows, one per park: the parks `listed` always (the zone's parks as configured, in their order, or
 * the caller's own park), zero rows included; another park only with work open now or records in the period (a park
 * that left the list), after them by name. `open`: each park's center's open tasks now; `facts`: the park centers'
 * records (every park's, each naming its park).
 */
export function parkCenterRows(args: {
  listed: readonly string[];
  open: ReadonlyMap<string, { open: number; overdue: number }>;
  facts: readonly DepartmentFact[];
  period: { from: string; to: string };
}): ParkCenterRow[] {
  const { from, to } = args.period;
  const facts = new Map<string, DepartmentFact[]>();
  for (const f of args.facts) {
    if (f.role !== 'park_center' || f.park === null) continue;
    const of = facts.get(f.park);
    if (of) of.push(f);
    else facts.set(f.park, [f]);
  }
  const busy = (park: string) => (args.open.get(park)?.open ?? 0) > 0 || (facts.get(park) ?? []).some((f) => f.date >= from && f.date <= to);
  const listed = new Set(args.listed);
  const others = [...new Set([...args.open.keys(), ...facts.keys()])].filter((park) => !listed.has(park) && busy(park)).sort();
  return [...listed, ...others].map((park) => ({
    department: 'park_center',
    name: departmentLabel({ role: 'park_center', park }).zh,
    park,
    ...figures(args.open.get(park), facts.get(park) ?? [], args.period),
  }));
}
