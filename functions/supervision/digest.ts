// The daily digest duty 每日提醒 (supervision/domain/digest.ts), run each working morning by the daily-digest schedule:
// per department, its open tasks due by the yellow horizon (byLead, one range query per partition: nothing due later is
// read) and the letters awaiting its reply (byAddressee, one query), then — only where there is something to tell — one
// notification in its inbox. The notification's key is fixed by the department and the day and written only if absent,
// so a re-run, a retried schedule or two runs at once send each department's digest of the day once.
import { createHash } from 'node:crypto';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { ConditionFailed, transact } from '#kernel/store/client.ts';
import { departmentTasksDueBy } from '#lifecycle/store/tasks.ts';
import { recipientOf, render } from '#notifications/domain/notices.ts';
import { inboxPut } from '#notifications/store/inbox.ts';
import { ledgerParks } from '#projects/store/ledger.ts';
import { projectNames } from '#projects/store/projects.ts';
import { workdayInfo } from '#reference/domain/calendar.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { departmentKey } from './domain/department.ts';
import { departmentInbox, digestDepartments, digestHorizon, digestInstant, digestNotice, isDigestDay, listedProjects, planDigest, type DigestPlan } from './domain/digest.ts';
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
export const digestId = (plan: Pick<DigestPlan, 'department' | 'date'>): string =>
  `dg${plan.date.replaceAll('-', '')}${createHash('sha256').update(departmentKey(plan.department)).digest('hex').slice(0, 16)}`;

export async function runDigest(at: Date): Promise<DigestReport> {
  const date = shanghaiDate(at);
  const [calendar, lights] = await Promise.all([loadCalendar(), getConfig('lights')]);
  const none = { at: at.toISOString(), date, departments: 0, toTell: 0, sent: 0 };
  if (!isDigestDay(date, calendar)) return { ...none, skipped: 'not_a_working_day' };
  if (at < digestInstant(date)) return { ...none, skipped: 'before_digest_time' };

  const horizon = digestHorizon(date, lights.doc.yellowBeforeWd, calendar);
  const departments = digestDepartments(await ledgerParks());
  const plans = (
    await Promise.all(
      departments.map(async (department) => {
        const [tasks, letters] = await Promise.all([departmentTasksDueBy(departmentKey(department), horizon), lettersAwaitingReply(departmentInbox(department))]);
        return planDigest({ department, date, horizon, tasks, letters });
      }),
    )
  ).filter((p): p is DigestPlan => p !== null);
  const names = await projectNames(plans.flatMap(listedProjects));

  let sent = 0;
  for (const plan of plans) {
    const notice = digestNotice(plan, names, workdayInfo(date, calendar).provisional);
    const { zh, en } = render(notice);
    try {
      await transact([inboxPut({ id: digestId(plan), recipient: recipientOf(notice), kind: notice.kind, title: zh.title, body: zh.body, en }, digestInstant(date))]);
      sent += 1;
    } catch (err) {
      // The department's digest of the day is there already (an earlier or a concurrent run).
      if (!(err instanceof ConditionFailed)) throw err;
    }
  }
  return { ...none, departments: departments.length, toTell: plans.length, sent };
}
