// The daily digest 每日提醒: each working morning a department's work group is told what is red (overdue), due today
// and yellow (due within the lights config's `yellowBeforeWd` working days), and which letters await its reply — and
// only a department with something to tell (an empty digest is noise). Working days are the calendar's: no digest on
// a weekend or holiday, one on a 调休 make-up working day. Pure: supervision/digest.ts reads each department's tasks
// and letters through indexes and writes its digest once per day.
import { ROLES } from '#kernel/domain/codes.ts';
import type { Task } from '#lifecycle/domain/task.ts';
import { parkDigestInbox } from '#notifications/domain/channels.ts';
import { roleInbox } from '#notifications/domain/inbox.ts';
import { LISTED, type DigestCounts, type DigestItem, type Notice } from '#notifications/domain/notices.ts';
import { addWorkingDays, workdayInfo, type CalendarLookup } from '#reference/domain/calendar.ts';
import { departmentLabel, type Department } from './department.ts';
import { letterStatus, type Letter } from './letter.ts';

/** When the digest goes out, Asia/Shanghai (the schedule's hour; the notification carries this instant of its day). */
export const DIGEST_TIME = { hour: 8, minute: 30 } as const;

/** The instant of a day's digest: its key in each inbox, whenever in the day the job runs. */
export const digestInstant = (date: string): Date =>
  new Date(`${date}T${String(DIGEST_TIME.hour).padStart(2, '0')}:${String(DIGEST_TIME.minute).padStart(2, '0')}:00+08:00`);

/**
 * A digest goes out on working days only, as the calendar says (holidays off, 调休 make-up working days on). In a year
 * with no calendar loaded a weekday is taken as one — a reminder missed on a working day is worse than one sent on a
 * holiday — and the digest says so (`digestNotice`'s `calendarProvisional`).
 */
export const isDigestDay = (date: string, calendar: CalendarLookup): boolean => workdayInfo(date, calendar).workday;

/** The departments told: every staff role but ops (its inbox is not a department's) and each park's service center. */
export function digestDepartments(parks: readonly string[]): Department[] {
  return [
    ...ROLES.filter((r) => r !== 'enterprise' && r !== 'ops' && r !== 'park_center').map((role): Department => ({ role, park: null })),
    ...[...new Set(parks)].sort().map((park): Department => ({ role: 'park_center', park })),
  ];
}

/** A department's inbox (a park center's: its park's), where its digest goes and whose letters it answers. */
export const departmentInbox = (d: Department): string => roleInbox(d.role, { park: d.park ?? '', investor: { enterpriseId: '' } });

/** The last due date a digest on `today` shows: `yellowBeforeWd` working days on — a task due then is yellow today. */
export const digestHorizon = (today: string, yellowBeforeWd: number, calendar: CalendarLookup): string => addWorkingDays(today, yellowBeforeWd, calendar).date;

export type TaskBucket = 'red' | 'due_today' | 'yellow';

/** Where an open task stands on `today`: red once its due date has passed, due today, yellow up to `horizon`, else in no bucket. */
export function taskBucket(t: Pick<Task, 'status' | 'dueDate'>, today: string, horizon: string): TaskBucket | null {
  if (t.status !== 'open' || t.dueDate === null) return null;
  if (t.dueDate < today) return 'red';
  if (t.dueDate === today) return 'due_today';
  return t.dueDate <= horizon ? 'yellow' : null;
}

export type DigestEntry = { readonly kind: TaskBucket; readonly task: Task } | { readonly kind: 'letter'; readonly letter: Letter };

export interface DigestPlan {
  readonly department: Department;
  /**
   * The park whose projects alone it tells, for a department's channels limited to that park (parkDigests); absent: the
   * department's whole digest, in its inbox.
   */
  readonly park?: string;
  readonly date: string;
  readonly counts: DigestCounts;
  /** What the digest names, at most LISTED: red first, then due today, yellow, letters — each soonest due first. */
  readonly listed: readonly DigestEntry[];
}

/** Code-unit order (dates, ids): not the locale's collation. */
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byDue = (a: Task, b: Task) => cmp(a.dueDate ?? '', b.dueDate ?? '') || cmp(a.projectId, b.projectId) || cmp(a.id, b.id);
// A letter with no reply date asked comes after the dated ones ('~' sorts after every date).
const byReply = (a: Letter, b: Letter) => cmp(a.replyBy ?? '~', b.replyBy ?? '~') || cmp(a.issuedAt, b.issuedAt) || cmp(a.id, b.id);

/**
 * A department's digest on `date` from its open tasks due by `horizon` and the letters addressed to it; null when it has
 * nothing to tell. A task due today is counted as due today, not also as yellow. A letter awaits a reply until its
 * addressee acknowledges it (sent, or overdue once its reply date passed).
 */
export function planDigest(args: { department: Department; park?: string; date: string; horizon: string; tasks: readonly Task[]; letters: readonly Letter[] }): DigestPlan | null {
  const buckets: Record<TaskBucket, Task[]> = { red: [], due_today: [], yellow: [] };
  for (const t of args.tasks) {
    const bucket = taskBucket(t, args.date, args.horizon);
    if (bucket) buckets[bucket].push(t);
  }
  const letters = args.letters.filter((l) => letterStatus(l, args.date) !== 'acknowledged').sort(byReply);
  const counts: DigestCounts = { dueToday: buckets.due_today.length, yellow: buckets.yellow.length, red: buckets.red.length, letters: letters.length };
  if (counts.dueToday + counts.yellow + counts.red + counts.letters === 0) return null;
  const entries: DigestEntry[] = [
    ...(['red', 'due_today', 'yellow'] as const).flatMap((kind) => buckets[kind].sort(byDue).map((task): DigestEntry => ({ kind, task }))),
    ...letters.map((letter): DigestEntry => ({ kind: 'letter', letter })),
  ];
  return { department: args.department, ...(args.park === undefined ? {} : { park: args.park }), date: args.date, counts, listed: entries.slice(0, LISTED) };
}

/**
 * A department's digest of one park's projects (its channels limited to that park carry it): its tasks and the letters
 * addressed to it, of that park's projects only (`parkOf`: a letter's project's park).
 */
export function planParkDigest(args: { department: Department; park: string; date: string; horizon: string; tasks: readonly Task[]; letters: readonly Letter[]; parkOf: ReadonlyMap<string, string> }): DigestPlan | null {
  return planDigest({
    ...args,
    tasks: args.tasks.filter((t) => t.park === args.park),
    letters: args.letters.filter((l) => args.parkOf.get(l.projectId) === args.park),
  });
}

/** The projects whose names the tasks a digest names need (a letter carries its project's name). */
export const listedProjects = (plan: DigestPlan): string[] => [...new Set(plan.listed.flatMap((e) => (e.kind === 'letter' ? [] : [e.task.projectId])))];

/** The notice of a digest, with the names of its projects (`names`: id → name; an unknown id is shown as the id). */
export function digestNotice(plan: DigestPlan, names: ReadonlyMap<string, string>, calendarProvisional = false): Extract<Notice, { kind: 'digest.daily' }> {
  const items = plan.listed.map((e): DigestItem =>
    e.kind === 'letter'
      ? { kind: 'letter', project: e.letter.projectName, number: e.letter.number, replyBy: e.letter.replyBy, overdue: letterStatus(e.letter, plan.date) === 'overdue' }
      : { kind: e.kind, project: names.get(e.task.projectId) ?? e.task.projectId, task: e.task.name, dueDate: e.task.dueDate! },
  );
  const label = departmentLabel(plan.department);
  const { park } = plan;
  return {
    kind: 'digest.daily',
    inbox: park === undefined ? departmentInbox(plan.department) : parkDigestInbox(plan.department.role, park),
    department: park === undefined ? label : { zh: `${label.zh}（${park}）`, en: `${label.en} (${park})` },
    date: plan.date,
    counts: plan.counts,
    items,
    ...(calendarProvisional ? { calendarProvisional } : {}),
  };
}
