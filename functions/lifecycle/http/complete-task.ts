// POST /projects/{id}/tasks/{taskId}/complete — the task's lead department completes it; deficiencies make it a 容缺
// completion: it counts for the gate, and each missing document becomes an obligation timed like a task, due within
// the configured window (config/limits deficiencyWindowWd) and within the project's cap on open items.
import { addWorkingDays, shanghaiDate } from '#reference/domain/calendar.ts';
import { Conflict, NotFound, ValidationFailed } from '#kernel/domain/errors.ts';
import { assertRoomForItems, completeTask, deficiencyDueDateErrors } from '#lifecycle/domain/tasks.ts';
import { auditOp } from '#kernel/store/audit.ts';
import { replaceProject } from '#projects/store/projects.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { insertTask, listTasks, putTask } from '#lifecycle/store/tasks.ts';
import { clock } from '#kernel/runtime/clock.ts';
import { requireActsAs } from '#kernel/domain/acting.ts';
import { changeProject, loadForChange } from '#projects/change.ts';
import { presentTaskFor } from '#lifecycle/present.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import * as routes from '#lifecycle/routes.ts';

export const handler = writeRoute(routes.completeTask, async (req) => {
  const now = clock.now();
  const today = shanghaiDate(now);
  const deficiencies = req.body.deficiencies ?? [];
  const limits = (await getConfig('limits')).doc;
  if (deficiencies.length) {
    const latest = addWorkingDays(today, limits.deficiencyWindowWd, await loadCalendar()).date;
    const errors = deficiencyDueDateErrors(deficiencies, today, latest, limits.deficiencyWindowWd);
    if (errors.length) throw new ValidationFailed(`容缺 defers a missing document by at most ${limits.deficiencyWindowWd} working days`, errors);
  }
  return changeProject(req, req.params.id, 'task.completed', async (commit) => {
    const project = await loadForChange(req.params.id, req.principal, req.ifMatch);
    const tasks = await listTasks(project.id);
    const task = tasks.find((t) => t.id === req.params.taskId);
    if (!task) throw new NotFound(`Project ${project.id} has no task ${req.params.taskId}`);
    requireActsAs(req.principal, [task.lead], project, `Completing ${task.name.zh}`);
    if (task.status !== 'open') throw new Conflict(`Task ${task.id} is already completed`);
    if (task.kind === 'recurring') throw new Conflict(`${task.name.zh} is held by reporting progress: POST /projects/${project.id}/progress`);
    if (!task.startedDate) throw new Conflict(`Task ${task.id} has not started: it waits for ${task.after.join(', ')}`);
    if (project.status !== 'ACTIVE') throw new Conflict(`Project ${project.id} is ${project.status}`);
    assertRoomForItems(tasks, deficiencies.length, limits);
    const { task: done, obligations } = completeTask(task, req.principal, req.body, now, today, tasks.filter((t) => t.parentTaskId === task.id).length);
    const next = { ...project, version: project.version + 1, updatedAt: now.toISOString() };
    const action = obligations.length ? 'task.completed_with_deficiencies' : 'task.completed';
    return commit(
      [
        putTask(done),
        ...obligations.map(insertTask),
        replaceProject(next, project.version),
        auditOp(`PROJECT#${project.id}`, action, req.principal, { before: { taskId: task.id, status: task.status }, after: { taskId: task.id, status: done.status, deficiencies: done.completion?.deficiencies } }, now, req.requestId),
      ],
      json(200, { task: presentTaskFor(req.principal)(done), obligations: obligations.map(presentTaskFor(req.principal)) }, etag(next.version)),
    );
  });
});
