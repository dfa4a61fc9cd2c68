// POST /projects/{id}/progress — a construction progress report 建设推进 (construction % and equipment-installation %):
// it holds the current progress meeting, schedules the next one, and clears a stalled 施工停滞 flag (domain/progress.ts).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { presentProjectFor } from '#projects/present.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { reportProgress } from '../domain/progress.ts';
import { startedByChange } from '../domain/review.ts';
import { latenessAtClosing } from '../lateness.ts';
import { ladderResetAtChange } from '../ladder-reset.ts';
import * as routes from '../routes.ts';
import { insertTask, listGates, listTasks, putTask } from '../store/tasks.ts';
import { summaryAfter } from '../summary.ts';

export const handler = writeRoute(routes.reportProgress, async (req) => {
  const references = Promise.all([getConfig('lights'), loadCalendar(), getConfig('recurring')]);
  return changeProject(
    req,
    req.params.id,
    async (current, now, [[lights, calendar, recurring], tasks, gates]) => {
      const today = shanghaiDate(now);
      const { project, closed, next } = reportProgress({ project: current, tasks, by: req.principal, input: req.body, now, today, calendar, yellowBeforeWd: lights.doc.yellowBeforeWd });
      // The meeting it holds, past due and not red yet (its deadline's wake-up has not run): the red light first.
      const late = latenessAtClosing(closed && tasks.find((t) => t.id === closed.id), current, today);
      // A stalled site 施工停滞 that held the project on the escalation ladder: the reset is recorded with the report, today.
      const reported = tasks.map((t) => (closed && t.id === closed.id ? closed : t)).concat(next ? [next] : []);
      // Work waiting for the meeting it holds (a matrix ops published may have some) starts with it, as a completion's
      // successors do (review.ts startedByChange).
      const start = closed ? startedByChange({ project, tasks: reported, gate: gates.find((g) => g?.stage === project.stage), today, calendar, yellowBeforeWd: lights.doc.yellowBeforeWd }) : { tasks: [], notices: [] };
      const started = new Map(start.tasks.map((c) => [c.task.id, c.task]));
      const after = reported.map((t) => started.get(t.id) ?? t);
      // With the rung the review owed for a stall it had not flagged yet (it fell behind its clock), recorded first.
      const reset = await ladderResetAtChange({ project, tasks: after, today, now, calendar, before: { project: current, tasks, stalledAfterWd: recurring.doc.stalledAfterWd } });
      // Its light and task counts as they stand after it (the meeting it held closed, the next one due).
      const changed = reset?.project ?? project;
      return {
        project: { ...changed, ...(await summaryAfter(changed, after, gates, today)) },
        action: 'progress.reported',
        audit: { before: { progress: current.progress ?? null }, after: { progress: project.progress, ...(started.size ? { started: [...started.keys()] } : {}) } },
        writes: [...(closed ? [putTask(closed)] : []), ...(next ? [insertTask(next)] : []), ...start.tasks.map((c) => putTask(c.task)), ...late.writes],
        events: [...late.events, ...start.tasks.flatMap((c) => c.events), ...(reset?.events ?? [])],
        notices: [...late.notices, ...start.tasks.flatMap((c) => c.notices), ...start.notices, ...(reset?.notices ?? [])],
      };
    },
    async (next, _change, shown) => json(200, presentProjectFor(req.principal, await shown()), etag(next.version)),
    // Read with the project (one round trip): the configuration once, the tasks and gates every attempt.
    { alongside: () => Promise.all([references, listTasks(req.params.id), listGates(req.params.id)]) },
  );
});
