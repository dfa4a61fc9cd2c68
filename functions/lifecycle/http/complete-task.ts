// POST /projects/{id}/tasks/{taskId}/complete — the task's lead department completes it; deficiencies make it a 容缺
// completion: it counts for the gate, and each missing document becomes an obligation timed like a task (the rules:
// domain/task.ts completeTask).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { provisionalCreated, startedByChange } from '../domain/review.ts';
import { completeTask } from '../domain/task.ts';
import { ladderResetAtChange } from '../ladder-reset.ts';
import { latenessAtClosing } from '../lateness.ts';
import { presentTaskFor } from '../present.ts';
import * as routes from '../routes.ts';
import { insertTask, listGates, listTasks, putTask } from '../store/tasks.ts';
import { summaryAfter } from '../summary.ts';
import { linkReservation } from '#inventory/links.ts';
import { instantNoticeLetters } from '#supervision/instant.ts';
import { completionFact } from '#supervision/domain/department.ts';
import { putDepartmentFact } from '#supervision/store/departments.ts';

export const handler = writeRoute(routes.completeTask, async (req) => {
  // Read with the project, not before it (changeProject's `alongside`): the configuration once, the tasks and gates every
  // attempt.
  const references = Promise.all([getConfig('limits'), loadCalendar(), getConfig('inventory'), getConfig('letters'), getConfig('lights')]);
  let done: ReturnType<typeof completeTask> | undefined;
  return changeProject(
    req,
    req.params.id,
    async (project, now, [[limits, calendar, inventory, letters, lights], tasks, gates]) => {
      const today = shanghaiDate(now);
      done = completeTask({ project, tasks, taskId: req.params.taskId, by: req.principal, input: req.body, now, today, limits: limits.doc, calendar, yellowBeforeWd: lights.doc.yellowBeforeWd });
      const { task, obligations } = done;
      // Past due and not red yet (its deadline's wake-up has not run, or the lifecycle awaits a resume): the red light first.
      const before = tasks.find((t) => t.id === task.id);
      const late = latenessAtClosing(before, project, today);
      // Its department's handling time, for the department report (部门督办): recorded with the completion.
      const handled = completionFact(task, today, calendar);
      // A task that uses a reservation (土地清单, 土地出让, 厂房匹配, 租赁签约) links it, or moves it on, in this transaction.
      const link = await linkReservation({ project, task, by: req.principal, now, cfg: inventory.doc, requestId: req.requestId });
      // 即时函告: a task other departments wait for sends them a numbered letter at once (config/letters).
      const instant = await instantNoticeLetters({ project, task, tasks: [...tasks.map((t) => (t.id === task.id ? task : t)), ...obligations], by: req.principal, now, cfg: letters.doc, calendar });
      // The work that held the project on the escalation ladder done: the reset is recorded with it, today (after the
      // rung its review owed and had not recorded yet).
      const changed = link ? link.project : project;
      const completed = [...tasks.map((t) => (t.id === task.id ? task : t)), ...obligations];
      // The work this completion leaves ready starts with it, as the review would start it (dates, a light on at once,
      // what it tells): completed right after, it is not refused for a review that has not run yet, nor does its clock
      // start a day late when that review falls behind. The review it wakes finds it started and sleeps on its dates.
      const start = startedByChange({ project: changed, tasks: completed, gate: gates.find((g) => g?.stage === project.stage), today, calendar, yellowBeforeWd: lights.doc.yellowBeforeWd });
      const started = new Map(start.tasks.map((c) => [c.task.id, c.task]));
      const after = completed.map((t) => started.get(t.id) ?? t);
      const reset = await ladderResetAtChange({ project: changed, tasks: after, today, now, calendar, before: { tasks, closedDue: before?.dueDate, closedTask: before } });
      // Its light and task counts as they stand after it (the review that follows records them again).
      const summarized = reset?.project ?? changed;
      return {
        project: { ...summarized, ...(await summaryAfter(summarized, after, gates, today)) },
        action: obligations.length ? 'task.completed_with_deficiencies' : 'task.completed',
        audit: {
          before: { taskId: task.id, status: 'open' },
          after: { taskId: task.id, status: task.status, deficiencies: task.completion?.deficiencies, ...(link ? { reservation: link.reservation.id, resourceId: link.reservation.resourceId, effect: link.effect } : {}), ...(started.size ? { started: [...started.keys()] } : {}) },
        },
        writes: [putTask(task), ...obligations.map(insertTask), ...start.tasks.map((c) => putTask(c.task)), ...(link?.writes ?? []), ...instant.writes, ...(handled ? [putDepartmentFact(handled)] : []), ...late.writes],
        events: [...late.events, ...instant.events, ...start.tasks.flatMap((c) => c.events), ...(reset?.events ?? [])],
        // A document promised in a year with no calendar: ops told with the completion (before the work it started, which
        // counts the obligation as dated: one notice a year).
        notices: [...late.notices, ...instant.notices, ...provisionalCreated(project, [...tasks, ...gates.filter((g) => g !== undefined)], obligations), ...start.tasks.flatMap((c) => c.notices), ...start.notices, ...(reset?.notices ?? [])],
      };
    },
    (next) => {
      const present = presentTaskFor(req.principal, next);
      return json(200, { task: present(done!.task), obligations: done!.obligations.map(present) }, etag(next.version));
    },
    { alongside: () => Promise.all([references, listTasks(req.params.id), listGates(req.params.id)]) },
  );
});
