// The API representation of a task (zh-CN name first; api.md field names).
import type { Task } from '#domain/tasks.ts';

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
    light: t.light,
    calendarProvisional: t.calendarProvisional,
    parentTaskId: t.parentTaskId ?? null,
    completion: t.completion ?? null,
  };
}
