// Department supervision's writes 部门督办: the overdue fact a red task commits with — and, in the same group, the outbox
// signal that has the department counted once that commit is visible — and the notice 通报提醒 the outbox consumer
// decides (supervision/domain/department.ts). Counting after the commit, with a consistent read, is what makes
// concurrent evaluations safe: whichever fact commits last, its count sees every other one, and the listing's condition
// lets exactly one of the counts that reach the threshold write the notice. A retried delivery finds it listed.
import { SYSTEM_ACTOR, auditOp } from '#kernel/store/audit.ts';
import { transact, type WriteOp } from '#kernel/store/client.ts';
import { signalOp, type Signal } from '#kernel/store/outbox.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { retrying } from '#kernel/unit-of-work.ts';
import { noticeOps } from '#notifications/notifier.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { decideNotice, departmentKey, noticeNotices, noticeWindow, type Department, type NoticeRecord, type OverdueFact, type OverdueWithdrawal } from './domain/department.ts';
import { deleteDepartmentFact, insertNotice, listedUntil, putDepartmentFact, queryDepartmentFacts } from './store/departments.ts';

/** What a red task of a department writes beside itself, in its atomic group: the fact, and the signal to count it. */
export function overdueWrites(f: OverdueFact): WriteOp[] {
  return [putDepartmentFact(f), signalOp({ kind: 'department', projectId: f.projectId, role: f.role, park: f.park, date: f.date })];
}

/**
 * What withdrawing a task's overdue record removes: its department's overdue fact of the task, dated after the day it
 * was due up to today — so the department report's overdue count and the notice list's window no longer count it. One
 * consistent query of the department's records of those days.
 */
export async function withdrawalWrites(w: OverdueWithdrawal, today: string): Promise<WriteOp[]> {
  const facts = await queryDepartmentFacts(w.role, w.dueDate, today, true);
  return facts.filter((f): f is OverdueFact => f.kind === 'overdue' && f.projectId === w.projectId && f.taskId === w.taskId).map(deleteDepartmentFact);
}

/**
 * The outbox consumer's part: on the day of the signal, whether the department goes on the notice list, and if so
 * the notice record, its listing, the audit event and the notices to the supervision office and the department — one
 * transaction. Reads: the listing (1 GetItem) and, unless listed, the window's records (1 query).
 */
export async function noticeDepartment(signal: Extract<Signal, { kind: 'department' }>): Promise<NoticeRecord | null> {
  const [escalation, calendar] = await Promise.all([getConfig('escalation'), loadCalendar()]);
  const department: Department = { role: signal.role, park: signal.park };
  const cfg = escalation.doc;
  // A listing written meanwhile (another consumer won) fails the condition: read again, then it is listed.
  return retrying(async () => {
    const until = await listedUntil(department);
    const listed = until !== null && signal.date <= until;
    const window = noticeWindow(signal.date, cfg.departmentNoticeWindowWd, calendar);
    const facts = listed ? [] : await queryDepartmentFacts(department.role, window.from, signal.date, true);
    const notice = decideNotice({ department, today: signal.date, facts, listedUntil: until, cfg, calendar });
    if (!notice) return null;
    const now = clock.now();
    const after = { date: notice.date, window: { from: notice.windowFrom, to: notice.windowTo, workingDays: notice.windowWd }, threshold: notice.threshold, items: notice.items, listedUntil: notice.listedUntil };
    await transact([
      ...insertNotice(notice),
      auditOp(`DEPARTMENT#${departmentKey(department)}`, 'department.noticed', SYSTEM_ACTOR, { before: {}, after }, now),
      ...noticeOps(noticeNotices(notice), now),
    ]);
    return notice;
  }, false);
}
