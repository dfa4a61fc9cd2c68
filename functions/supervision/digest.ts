// The daily digest duty 每日提醒 (supervision/domain/digest.ts), run each working morning by the daily-digest schedule:
// per department, its open tasks due by the yellow horizon (byLead, one range query per partition: nothing due later is
// read) and the letters awaiting its reply (byAddressee, one query), then — only where there is something to tell — one
// notification in its inbox. The notification's key is fixed by the department and the day and written only if absent,
// so a re-run, a retried schedule or two runs at once send each department's digest of the day once. A department whose
// channels include one limited to parks (config/channels) also gets, for each of those parks, the digest of that park's
// projects alone, written where only such channels read it (parkDigests): the whole list would show other parks'.
import { createHash } from 'node:crypto';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { departmentTasksDueBy } from '#lifecycle/store/tasks.ts';
import { recipientOf, render } from '#notifications/domain/notices.ts';
import { putNotificationOnce } from '#notifications/store/inbox.ts';
import { ledgerParks } from '#projects/store/ledger.ts';
import { parkDigests } from '#notifications/domain/channels.ts';
import { getChannels } from '#notifications/store/channels.ts';
import { projectNamesAndParks } from '#projects/store/projects.ts';
import { workdayInfo } from '#reference/domain/calendar.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { departmentKey } from './domain/department.ts';
import { departmentInbox, digestDepartments, digestHorizon, digestInstant, digestNotice, isDigestDay, listedProjects, planDigest, planParkDigest, type DigestPlan } from './domain/digest.ts';
import { lettersAwaitingReply } from './store/letters.ts';

export interface DigestReport {
  readonly at: string;
  readonly date: string;
  /** Why nothing was sent: not a working day, or before the digest's hour (the scheduled run sends it). */
  readonly skipped?: 'not_a_working_day' | 'before_digest_time';
  /** Departments read, departments with something to tell, digests written by this run (the rest were there already). */
  readonly departments: number;
  readonly toTell: number;
  readonly sent: number;
}

/**
 * The notification id of a department's digest of a day: fixed by both, so a second run writes nothing; lowercase
 * letters and digits like every inbox id (a park's name is hashed), which the inbox's cursors expect.
 */
export const digestId = (plan: Pick<DigestPlan, 'department' | 'park' | 'date'>): string =>
  `dg${plan.date.replaceAll('-', '')}${createHash('sha256').update(plan.park === undefined ? departmentKey(plan.department) : `${departmentKey(plan.department)}@${plan.park}`).digest('hex').slice(0, 16)}`;

export async function runDigest(at: Date): Promise<DigestReport> {
  const date = shanghaiDate(at);
  const calendar = await loadCalendar();
  const none = { at: at.toISOString(), date, departments: 0, toTell: 0, sent: 0 };
  if (!isDigestDay(date, calendar)) return { ...none, skipped: 'not_a_working_day' };
  if (at < digestInstant(date)) return { ...none, skipped: 'before_digest_time' };

  // Only on a day it tells anything (a day off or an early run reads the calendar alone), side by side.
  const [lights, channels, parks] = await Promise.all([getConfig('lights'), getChannels(), ledgerParks()]);
  const horizon = digestHorizon(date, lights.doc.yellowBeforeWd, calendar);
  const departments = digestDepartments(parks);
  const perPark = parkDigests(channels.doc);
  const read = await Promise.all(
    departments.map(async (department) => {
      const [tasks, letters] = await Promise.all([departmentTasksDueBy(departmentKey(department), horizon), lettersAwaitingReply(departmentInbox(department))]);
      return { department, tasks, letters };
    }),
  );
  const whole = read.map(({ department, tasks, letters }) => planDigest({ department, date, horizon, tasks, letters })).filter((p): p is DigestPlan => p !== null);
  // A letter's park is its project's: read only for the departments a per-park digest is written for — with the names
  // of the projects the whole digests list, in the same reads (each project item read once).
  const scopedLetters = read.filter((r) => r.department.park === null && perPark.some((p) => p.role === r.department.role)).flatMap((r) => r.letters);
  const asked = new Set([...scopedLetters.map((l) => l.projectId), ...whole.flatMap(listedProjects)]);
  const projects = await projectNamesAndParks([...asked]);
  const parkOf = new Map([...projects].map(([id, p]) => [id, p.park]));
  const scoped = perPark
    .flatMap(({ role, park }) => {
      const r = read.find((x) => x.department.role === role && x.department.park === null);
      return r ? [planParkDigest({ department: r.department, park, date, horizon, tasks: r.tasks, letters: r.letters, parkOf })] : [];
    })
    .filter((p): p is DigestPlan => p !== null);
  const plans = [...whole, ...scoped];
  // A per-park digest may list a task of a project no whole digest lists (past their first LISTED): read those too.
  const more = await projectNamesAndParks(scoped.flatMap(listedProjects).filter((id) => !asked.has(id)));
  const names = new Map([...projects, ...more].map(([id, p]) => [id, p.name]));

  // Each digest its own conditional put, all side by side: one round trip however many departments are told.
  const written = await Promise.all(
    plans.map((plan) => {
      const notice = digestNotice(plan, names, workdayInfo(date, calendar).provisional);
      const { zh, en } = render(notice);
      return putNotificationOnce({ id: digestId(plan), recipient: recipientOf(notice), kind: notice.kind, title: zh.title, body: zh.body, en }, digestInstant(date));
    }),
  );
  // A digest not written was there already: an earlier or a concurrent run's.
  const sent = written.filter(Boolean).length;
  return { ...none, departments: departments.length, toTell: plans.length, sent };
}
