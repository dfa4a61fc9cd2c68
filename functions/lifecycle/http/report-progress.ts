// POST /projects/{id}/progress — a construction progress report 建设推进 (construction % and equipment-installation %):
// it holds the current progress meeting, schedules the next one, and clears a stalled 施工停滞 flag (domain/progress.ts).
import { shanghaiDate } from '#kernel/domain/dates.ts';
import { etag, json } from '#kernel/http/route.ts';
import { writeRoute } from '#kernel/http/write-route.ts';
import { changeProject } from '#projects/change.ts';
import { presentProjectFor } from '#projects/present.ts';
import { getConfig, loadCalendar } from '#reference/store/reference.ts';
import { reportProgress } from '../domain/progress.ts';
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
      const after = tasks.map((t) => (closed && t.id === closed.id ? closed : t)).concat(next ? [next] : []);
      // With the rung the review owed for a stall it had not flagged yet (it fell behind its clock), recorded first.
      const reset = await ladderResetAtChange({ project, tasks: after, today, now, calendar, before: { project: current, tasks, stalledAfterWd: recurring.doc.stalledAfterWd } });
      // Its light and task counts as they stand after it (the meeting it held closed, the next one due).
      const reported = reset?.project ?? project;
      return {
        project: { ...reported, ...(await summaryAfter(reported, after, gates, today)) },
        action: 'progress.reported',
        audit: { before: { progress: current.progress ?? null }, after: { progress: project.progress } },
        writes: [...(closed ? [putTask(closed)] : []), ...(next ? [insertTask(next)] : []), ...late.writes],
        events: [...late.events, ...(reset?.events ?? [])],
        notices: [...late.notices, ...(reset?.notices ?? [])],
      };
    },
    async (next, _change, shown) => json(200, presentProjectFor(req.principal, await shown()), etag(next.version)),
    // Read with the project (one round trip): the configuration once, the tasks and gates every attempt.
    { alongside: () => Promise.all([references, listTasks(req.params.id), listGates(req.params.id)]) },
  );
});
