// After ops load a year's calendar: every open task whose due date was computed without it (flagged
// calendarProvisional) gets its dates recomputed, per project in one transaction with an audit event.
import { addWorkingDays, type CalendarLookup } from '#domain/calendar.ts';
import type { Task } from '#domain/tasks.ts';
import { auditOp, SYSTEM_ACTOR } from './audit.ts';
import { transact } from './client.ts';
import { putTask, queryProvisionalTasks } from './tasks.ts';

export async function recomputeProvisionalTasks(calendar: CalendarLookup, yellowBeforeWd: number, now: Date): Promise<Map<string, Task[]>> {
  const byProject = new Map<string, Task[]>();
  for (const t of await queryProvisionalTasks()) {
    if (!t.startedDate || t.limitWd === null) continue;
    const due = addWorkingDays(t.startedDate, t.limitWd, calendar);
    const yellow = addWorkingDays(due.date, -Math.min(yellowBeforeWd, t.limitWd), calendar);
    const next: Task = { ...t, dueDate: due.date, yellowDate: yellow.date, calendarProvisional: due.provisional || yellow.provisional };
    byProject.set(t.projectId, [...(byProject.get(t.projectId) ?? []), next]);
  }
  for (const [projectId, tasks] of byProject) {
    await transact([
      ...tasks.map(putTask),
      auditOp(`PROJECT#${projectId}`, 'tasks.recomputed', SYSTEM_ACTOR, { before: {}, after: { tasks: tasks.map((t) => ({ id: t.id, dueDate: t.dueDate, calendarProvisional: t.calendarProvisional })) } }, now),
    ]);
  }
  return byProject;
}
