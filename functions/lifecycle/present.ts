// The API representations of a task (zh-CN name first; api.md field names): the staff view, and the enterprise's own
// view with an explicit field list — no staff ids, no internal notes, no handler posts.
import { seesEnterpriseView, type Principal, type ReadableProject } from '#kernel/domain/principal.ts';
import { shanghaiDate } from '#kernel/domain/dates.ts';
import type { Completion, Task } from '#lifecycle/domain/task.ts';

/**
 * A completion as read: the business day it was made (`date`, Asia/Shanghai) and whether that was after the task's due
 * date (`late`, 逾期办结) — a closed task's light is green (nothing is open), so without it a task done ten days late read
 * like one done on time.
 */
function completionRead(c: Completion, dueDate: string | null) {
  const date = shanghaiDate(new Date(c.at));
  return { date, late: dueDate !== null && date > dueDate };
}

/** Whether a closed task was completed after its due date (逾期办结); null for a task with no completion. */
export function completedLate(t: Task): boolean | null {
  return t.completion ? completionRead(t.completion, t.dueDate).late : null;
}

export function presentTask(t: Task) {
  return {
    id: t.id,
    projectId: t.projectId,
    stage: t.stage,
    code: t.code,
    kind: t.kind,
    name: t.name.zh,
    nameEn: t.name.en,
    lead: t.lead,
    cooperating: t.cooperating,
    handler: t.handler,
    standard: t.standard,
    limitWd: t.limitWd,
    after: t.after,
    requiredForGate: t.requiredForGate,
    status: t.status,
    startedDate: t.startedDate,
    dueDate: t.dueDate,
    // The date a person set (agreed items, 容缺 documents): `dueDate` is it moved off a rest day.
    dueDateSet: t.dueDateSet ?? null,
    // The day its yellow light 黄灯 comes on (null: no limit, or not yet scheduled).
    yellowDate: t.yellowDate,
    light: t.light,
    calendarProvisional: t.calendarProvisional,
    parentTaskId: t.parentTaskId ?? null,
    completion: t.completion ? { ...t.completion, ...completionRead(t.completion, t.dueDate) } : null,
  };
}

/** What the investing enterprise sees of a task of its project: what is to be done, by whom (department), by when. */
export function presentTaskToEnterprise(t: Task) {
  return {
    id: t.id,
    projectId: t.projectId,
    stage: t.stage,
    kind: t.kind,
    name: t.name.zh,
    nameEn: t.name.en,
    lead: t.lead,
    standard: t.standard,
    limitWd: t.limitWd,
    status: t.status,
    startedDate: t.startedDate,
    dueDate: t.dueDate,
    dueDateSet: t.dueDateSet ?? null,
    yellowDate: t.yellowDate,
    // The due date is estimated on weekdays: its year's calendar is not loaded yet (it may still move).
    calendarProvisional: t.calendarProvisional ?? false,
    light: t.light,
    parentTaskId: t.parentTaskId ?? null,
    completion: t.completion ? { at: t.completion.at, ...completionRead(t.completion, t.dueDate), documents: t.completion.documents, deficiencies: t.completion.deficiencies } : null,
  };
}


export function presentTaskFor(p: Principal, project?: ReadableProject): (t: Task) => ReturnType<typeof presentTask> | ReturnType<typeof presentTaskToEnterprise> {
  return seesEnterpriseView(p, project) ? presentTaskToEnterprise : presentTask;
}
